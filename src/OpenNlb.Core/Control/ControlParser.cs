using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Convergence;

namespace OpenNlb.Core.Control;

/// <summary>
/// Turns an untrusted request line into a command, or into an error that names what is wrong.
/// Never throws; a refused request changes nothing.
/// </summary>
public static class ControlParser
{
    /// <summary>Largest request accepted, in bytes: a valid one needs about 100.</summary>
    public const int MaxRequestBytes = 4096;

    public const string Commands = "query, display, params, owner, start, stop, drainstop, suspend, resume, enable, disable, drain, weight, reload";

    /// <summary>Exactly one of the two is non-null.</summary>
    public static (ControlCall? Call, string? Error) Parse(ReadOnlySpan<byte> line)
    {
        var (call, error) = ParseCall(line);
        if (call is null)
        {
            return (null, error);
        }

        var (node, cluster) = (call.Node, call.Cluster);
        if (node is < 1 or > 64)
        {
            return (null, string.Create(CultureInfo.InvariantCulture, $"node {node} is outside 1..64"));
        }

        if (node is not null && cluster)
        {
            return (null, "give \"node\" or \"cluster\", not both");
        }

        // display, params and owner answer with what one host holds in memory and in its kernel;
        // over the cluster channel only a short answer fits.
        if ((node is not null || cluster) && call.Command is ControlCall.Display or ControlCall.Params or ControlCall.Owner)
        {
            return (null, $"{call.Command} answers for the host asked directly; ask that host's nlbd (--socket, or --lab N --host H)");
        }

        return (call, null);
    }

    private static (ControlCall? Call, string? Error) ParseCall(ReadOnlySpan<byte> line)
    {
        if (line.Length > MaxRequestBytes)
        {
            return (null, string.Create(CultureInfo.InvariantCulture, $"request too large ({line.Length} bytes, at most {MaxRequestBytes})"));
        }

        ControlRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(line, ControlJsonContext.Default.ControlRequest);
        }
        catch (JsonException e)
        {
            return (null, "malformed request: " + e.Message);
        }

        if (request?.Command is not { } name)
        {
            return (null, "malformed request: no \"command\"; one of " + Commands);
        }

        var scope = new ControlCall(name) { Node = request.Node, Cluster = request.Cluster == true };
        if (name is ControlCall.Query or ControlCall.Display or ControlCall.Params or ControlCall.Reload)
        {
            return (scope, null);
        }

        if (name == ControlCall.Owner)
        {
            var (flow, problem) = Owner(request);
            return flow is null ? (null, problem) : (scope with { Flow = flow }, null);
        }

        var (command, error) = HostCommandOf(name, request);
        return command is null ? (null, error) : (scope with { HostCommand = command }, null);
    }

    private static (HostCommand? Command, string? Error) HostCommandOf(string name, ControlRequest request)
    {
        var rule = request.Rule;
        return name switch
        {
            "start" => (new HostCommand(HostCommandKind.Start), null),
            "stop" => (new HostCommand(HostCommandKind.Stop), null),
            "suspend" => (new HostCommand(HostCommandKind.Suspend), null),
            "resume" => (new HostCommand(HostCommandKind.Resume), null),
            "drainstop" => request.TimeoutSeconds switch
            {
                null => (new HostCommand(HostCommandKind.DrainStop), null),
                >= 0 and <= 86400 and var t => (new HostCommand(HostCommandKind.DrainStop, Timeout: TimeSpan.FromSeconds(t)), null),
                var t => (null, string.Create(CultureInfo.InvariantCulture, $"timeoutSeconds {t} is outside 0..86400")),
            },
            "enable" or "disable" or "drain" when string.IsNullOrEmpty(rule) => (null, $"{name} needs \"rule\": {RuleSelector.Forms}"),
            "enable" => (new HostCommand(HostCommandKind.Enable, rule), null),
            "disable" => (new HostCommand(HostCommandKind.Disable, rule), null),
            "drain" => (new HostCommand(HostCommandKind.Drain, rule), null),
            "weight" when string.IsNullOrEmpty(rule) || request.Weight is null => (null, "weight needs \"rule\" and \"weight\" (0..100)"),
            "weight" => (new HostCommand(HostCommandKind.SetWeight, rule, request.Weight), null),
            _ => (null, $"unknown command '{Printable(name)}'; one of {Commands}"),
        };
    }

    private static (OwnerRequest? Flow, string? Error) Owner(ControlRequest request)
    {
        if (request.Client is not { Length: > 0 } clientText || !OwnerRequest.TryParseClient(clientText, out var client, out var clientPort))
        {
            return (null, request.Client is null
                ? "owner needs \"client\": an address, or address:port (198.51.100.7:51234)"
                : $"owner: \"client\" '{Printable(request.Client)}' is not an address or address:port");
        }

        IPAddress? vip = null;
        if (request.Vip is { } vipText && !IPAddress.TryParse(vipText, out vip))
        {
            return (null, $"owner: \"vip\" '{Printable(vipText)}' is not an IP address");
        }

        if (request.Port is not { } port)
        {
            return (null, "owner needs \"port\": the destination port on the VIP");
        }

        if (port is < 0 or > 65535)
        {
            return (null, string.Create(CultureInfo.InvariantCulture, $"owner: \"port\" {port} is outside 0..65535"));
        }

        Protocol? protocol = request.Protocol switch
        {
            null or "tcp" => Protocol.Tcp,
            "udp" => Protocol.Udp,
            _ => null,
        };
        return protocol is { } p
            ? (new OwnerRequest(client, clientPort, vip, port, p), null)
            : (null, $"owner: \"protocol\" '{Printable(request.Protocol!)}' is neither tcp nor udp");
    }

    private static string Printable(string s)
    {
        var b = new StringBuilder();
        foreach (var c in s.Take(40))
        {
            b.Append(char.IsControl(c) ? '?' : c);
        }

        return b.ToString();
    }
}
