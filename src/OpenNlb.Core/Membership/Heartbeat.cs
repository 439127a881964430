using OpenNlb.Core.Allocation;
namespace OpenNlb.Core.Membership;

/// <summary>
/// One heartbeat: who sends it, which cluster and configuration it belongs to, and the sender's
/// per-rule settings. See docs/heartbeat.md for the bytes.
/// </summary>
/// <param name="ClusterId">Identifies the cluster (from its name); heartbeats of other clusters are ignored.</param>
/// <param name="Fingerprint">The sender's cluster-section fingerprint; a different one means a mismatched configuration.</param>
/// <param name="Incarnation">Differs each time the sender's daemon starts, so a restart is told from a replay.</param>
/// <param name="Sequence">Increases with each heartbeat of one incarnation; older ones are stale.</param>
public sealed record Heartbeat(
    uint ClusterId,
    ulong Fingerprint,
    int HostPriority,
    MemberState State,
    ulong Incarnation,
    ulong Sequence,
    IReadOnlyList<MemberRule> Rules)
{
    public bool Equals(Heartbeat? other) =>
        other is not null && ClusterId == other.ClusterId && Fingerprint == other.Fingerprint
        && HostPriority == other.HostPriority && State == other.State && Incarnation == other.Incarnation
        && Sequence == other.Sequence && Rules.SequenceEqual(other.Rules);

    public override int GetHashCode() => HashCode.Combine(ClusterId, HostPriority, Incarnation, Sequence);
}
