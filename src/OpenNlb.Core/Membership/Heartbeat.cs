using OpenNlb.Core.Allocation;
using OpenNlb.Core.Convergence;

namespace OpenNlb.Core.Membership;

/// <summary>
/// One heartbeat: who sends it, which cluster and configuration it belongs to, the sender's
/// per-rule settings, and where the sender stands in convergence. See docs/heartbeat.md for the
/// bytes and docs/convergence.md for what the convergence fields mean.
/// </summary>
/// <param name="ClusterId">Identifies the cluster (from its name); heartbeats of other clusters are ignored.</param>
/// <param name="Fingerprint">The sender's cluster-section fingerprint; a different one means a mismatched configuration.</param>
/// <param name="Incarnation">Differs each time the sender's daemon starts, so a restart is told from a replay.</param>
/// <param name="Sequence">Increases with each datagram of one incarnation; older ones are stale.</param>
/// <param name="View">Bit p-1 set: the sender counts host p as a live participant (itself included).</param>
/// <param name="Adopted">The map the sender enforces; its new-flow share never exceeds its part of it.</param>
/// <param name="HandoverEpoch">The epoch the sender's current hand-over belongs to.</param>
/// <param name="HandoverChunks">How many hand-over datagrams make it up (0: nothing kept); <see cref="HandoverPending"/> while the sender is still collecting it.</param>
/// <param name="HandoverAcks">Bit p-1 set: the sender holds host p's complete hand-over for the sender's adopted epoch.</param>
/// <param name="Staged">
/// The fingerprint of a cluster section the sender has read (<c>nlb reload</c>) and will switch to
/// once every live host has it too; 0: none (docs/control.md, "Changing the cluster section").
/// </param>
public sealed record Heartbeat(
    uint ClusterId,
    ulong Fingerprint,
    int HostPriority,
    MemberState State,
    ulong Incarnation,
    ulong Sequence,
    IReadOnlyList<MemberRule> Rules,
    ulong View = 0,
    Proposal? Adopted = null,
    ulong HandoverEpoch = 0,
    int HandoverChunks = 0,
    ulong HandoverAcks = 0,
    ulong Staged = 0)
{
    /// <summary>Chunk count that says "not ready yet".</summary>
    public const int HandoverPending = 0xFFFF;

    public Proposal AdoptedOrNone => Adopted ?? Proposal.None;

    public bool Equals(Heartbeat? other) =>
        other is not null && ClusterId == other.ClusterId && Fingerprint == other.Fingerprint
        && HostPriority == other.HostPriority && State == other.State && Incarnation == other.Incarnation
        && Sequence == other.Sequence && Rules.SequenceEqual(other.Rules)
        && View == other.View && AdoptedOrNone.Equals(other.AdoptedOrNone)
        && HandoverEpoch == other.HandoverEpoch && HandoverChunks == other.HandoverChunks && HandoverAcks == other.HandoverAcks
        && Staged == other.Staged;

    public override int GetHashCode() => HashCode.Combine(ClusterId, HostPriority, Incarnation, Sequence);
}
