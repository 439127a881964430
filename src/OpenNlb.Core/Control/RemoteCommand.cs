using OpenNlb.Core.Convergence;

namespace OpenNlb.Core.Control;

/// <summary>What one host may ask another over the cluster channel (docs/control.md, "Remote control").</summary>
public enum RemoteCommandKind : byte
{
    Query = 1,
    Start,
    Stop,
    DrainStop,
    Suspend,
    Resume,
    Enable,
    Disable,
    Drain,
    SetWeight,
    Reload,
}

/// <summary>
/// A command sent to host <see cref="Target"/> (0: every host) by host <see cref="HostPriority"/>.
/// <see cref="RequestId"/> pairs it with its replies and lets a target answer a resent request
/// without running it twice; <see cref="IssuedUnixMs"/> bounds the life of a recording.
/// </summary>
public sealed record RemoteRequest(
    uint ClusterId,
    int HostPriority,
    ulong Incarnation,
    ulong Sequence,
    uint RequestId,
    int Target,
    RemoteCommandKind Kind,
    string? Rule,
    int? Number,
    long IssuedUnixMs)
{
    /// <summary>The node command this request carries; null for query and reload, which are not the node's.</summary>
    public HostCommand? ToHostCommand() => CommandOf(Kind, Rule, Number);

    /// <summary>The node command of a remote command kind and its arguments; null for query and reload.</summary>
    public static HostCommand? CommandOf(RemoteCommandKind kind, string? rule, int? number) => kind switch
    {
        RemoteCommandKind.Start => new HostCommand(HostCommandKind.Start),
        RemoteCommandKind.Stop => new HostCommand(HostCommandKind.Stop),
        RemoteCommandKind.DrainStop => new HostCommand(HostCommandKind.DrainStop, Timeout: number is { } s ? TimeSpan.FromSeconds(s) : null),
        RemoteCommandKind.Suspend => new HostCommand(HostCommandKind.Suspend),
        RemoteCommandKind.Resume => new HostCommand(HostCommandKind.Resume),
        RemoteCommandKind.Enable => new HostCommand(HostCommandKind.Enable, rule),
        RemoteCommandKind.Disable => new HostCommand(HostCommandKind.Disable, rule),
        RemoteCommandKind.Drain => new HostCommand(HostCommandKind.Drain, rule),
        RemoteCommandKind.SetWeight => new HostCommand(HostCommandKind.SetWeight, rule, number),
        _ => null,
    };

    /// <summary>The request for a node command; the inverse of <see cref="ToHostCommand"/>.</summary>
    public static (RemoteCommandKind Kind, string? Rule, int? Number) Of(HostCommand command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return command.Kind switch
        {
            HostCommandKind.Start => (RemoteCommandKind.Start, null, null),
            HostCommandKind.Stop => (RemoteCommandKind.Stop, null, null),
            HostCommandKind.DrainStop => (RemoteCommandKind.DrainStop, null, command.Timeout is { } t ? (int)Math.Ceiling(t.TotalSeconds) : null),
            HostCommandKind.Suspend => (RemoteCommandKind.Suspend, null, null),
            HostCommandKind.Resume => (RemoteCommandKind.Resume, null, null),
            HostCommandKind.Enable => (RemoteCommandKind.Enable, command.Rule, null),
            HostCommandKind.Disable => (RemoteCommandKind.Disable, command.Rule, null),
            HostCommandKind.Drain => (RemoteCommandKind.Drain, command.Rule, null),
            HostCommandKind.SetWeight => (RemoteCommandKind.SetWeight, command.Rule, command.Weight),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command.Kind, "not a remote command"),
        };
    }
}

/// <summary>Host <see cref="HostPriority"/>'s answer to request <see cref="RequestId"/> of host <see cref="Requester"/>.</summary>
public sealed record RemoteReply(
    uint ClusterId,
    int HostPriority,
    ulong Incarnation,
    ulong Sequence,
    uint RequestId,
    int Requester,
    bool Ok,
    DisplayState State,
    string Message);
