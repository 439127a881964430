using OpenNlb.Core.Membership;

namespace OpenNlb.Core.Convergence;

/// <summary>
/// The latest word from one incarnation of another host. Two incarnations of one priority heard
/// within the detection time are two hosts configured with the same priority: the older one counts.
/// </summary>
internal sealed record PeerRecord(Heartbeat Latest, long LastHeardMs, string? Excluded, long FirstHeardMs)
{
    public int Priority => Latest.HostPriority;

    public ulong Incarnation => Latest.Incarnation;

    public bool IsLive(long nowMs, long detectionMs) => nowMs - LastHeardMs <= detectionMs;

    /// <summary>The peer counts itself a participant (its own bit of its view is set).</summary>
    public bool SaysParticipant => Latest.State is MemberState.Started or MemberState.Draining
        && (Latest.View & Bit(Priority)) != 0;

    public static ulong Bit(int priority) => 1UL << (priority - 1);
}
