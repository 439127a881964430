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

    public const string Commands = "query, start, stop, drainstop, suspend, resume, enable, disable, drain, weight";

    /// <summary>Null command with null error means "query".</summary>
    public static (HostCommand? Command, string? Error) Parse(ReadOnlySpan<byte> line)
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

        var rule = request.Rule;
        return name switch
        {
            "query" => (null, null),
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
