namespace OpenNlb.Core.Convergence;

/// <summary>NLB's host and port-rule operations.</summary>
public enum HostCommandKind
{
    Start,
    Stop,
    DrainStop,
    Suspend,
    Resume,
    Enable,
    Disable,
    Drain,
    SetWeight,
}

/// <summary>An operation on this host; <see cref="Rule"/> names a port rule for the per-rule ones.</summary>
public sealed record HostCommand(HostCommandKind Kind, string? Rule = null, int? Weight = null, TimeSpan? Timeout = null);

/// <summary>Whether a command was carried out, and if not, why.</summary>
public sealed record CommandOutcome(bool Ok, string Message)
{
    public static CommandOutcome Done(string message) => new(true, message);

    public static CommandOutcome Refused(string reason) => new(false, reason);
}
