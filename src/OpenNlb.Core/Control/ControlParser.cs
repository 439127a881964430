using System.Globalization;
using System.Text;
using System.Text.Json;
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

    public const string Commands = "query, start, stop, drainstop, suspend, resume, enable, disable, drain, weight, reload";

    /// <summary>Null command with null error means "query".</summary>
    public static (HostCommand? Command, string? Error) Parse(ReadOnlySpan<byte> line)
    {
        var (_, command, error) = ParseRequest(line);
        return (command, error);
    }

    /// <summary>
    /// The request with its node command. A null command without error is a query or a reload
    /// (<see cref="ControlRequest.Command"/> tells which), which are nlbd's, not the node's.
    /// </summary>
    public static (ControlRequest? Request, HostCommand? Command, string? Error) ParseRequest(ReadOnlySpan<byte> line)
    {
        var (request, command, error) = ParseUnchecked(line);
        if (error is null && request is { Node: { } node } && node is < 1 or > 64)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"node {node} is outside 1..64");
        }
        else if (error is null && request is { Node: not null, Cluster: true })
        {
            error = "give \"node\" or \"cluster\", not both";
        }

        return error is null ? (request, command, null) : (null, null, error);
    }

    private static (ControlRequest? Request, HostCommand? Command, string? Error) ParseUnchecked(ReadOnlySpan<byte> line)
    {
        if (line.Length > MaxRequestBytes)
        {
            return (null, null, string.Create(CultureInfo.InvariantCulture, $"request too large ({line.Length} bytes, at most {MaxRequestBytes})"));
        }

        ControlRequest? request;
        try
        {
            request = JsonSerializer.Deserialize(line, ControlJsonContext.Default.ControlRequest);
        }
        catch (JsonException e)
        {
            return (null, null, "malformed request: " + e.Message);
        }

        if (request?.Command is not { } name)
        {
            return (null, null, "malformed request: no \"command\"; one of " + Commands);
        }

        var rule = request.Rule;
        var (command, error) = name switch
        {
            "query" or "reload" => ((HostCommand?)null, (string?)null),
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
            "enable" or "disable" or "drain" when string.IsNullOrEmpty(rule) => (null, $"{name} needs \"rule\": a port rule's name or \"all\""),
            "enable" => (new HostCommand(HostCommandKind.Enable, rule), null),
            "disable" => (new HostCommand(HostCommandKind.Disable, rule), null),
            "drain" => (new HostCommand(HostCommandKind.Drain, rule), null),
            "weight" when string.IsNullOrEmpty(rule) || request.Weight is null => (null, "weight needs \"rule\" and \"weight\" (0..100)"),
            "weight" => (new HostCommand(HostCommandKind.SetWeight, rule, request.Weight), null),
            _ => (null, $"unknown command '{Printable(name)}'; one of {Commands}"),
        };
        return (request, command, error);
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
