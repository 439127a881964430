using System.Text.Json;

namespace OpenNlb.Lab.Control;

/// <summary>
/// One request to nlbd's control socket (one line of JSON): what `nlb` sends to start, stop,
/// drainstop, suspend or resume a host, or to change one of its port rules.
/// </summary>
public sealed record ControlRequest(string Command)
{
    public string? Rule { get; init; }

    public int? Weight { get; init; }

    public int? TimeoutSeconds { get; init; }

    public static ControlRequest Query { get; } = new("query");

    public static ControlRequest Start { get; } = new("start");

    public static ControlRequest Stop { get; } = new("stop");

    public static ControlRequest Suspend { get; } = new("suspend");

    public static ControlRequest Resume { get; } = new("resume");

    /// <summary>Read the configuration file again (docs/control.md, "Reload").</summary>
    public static ControlRequest Reload { get; } = new("reload");

    public static ControlRequest Drainstop(int timeoutSeconds) => new("drainstop") { TimeoutSeconds = timeoutSeconds };

    public static ControlRequest Enable(string rule) => new("enable") { Rule = rule };

    public static ControlRequest Disable(string rule) => new("disable") { Rule = rule };

    public static ControlRequest Drain(string rule) => new("drain") { Rule = rule };

    public static ControlRequest SetWeight(string rule, int weight) => new("weight") { Rule = rule, Weight = weight };

    /// <summary>The request as the one line the socket takes (no newline).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, ControlJsonContext.Default.ControlRequest);
}
