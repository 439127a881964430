using System.Net;

namespace OpenNlb.Core.Convergence;

/// <summary>
/// A UDP flow that a host keeps serving in a bucket it no longer owns. The new owner of the bucket
/// must leave it alone: conntrack cannot tell it from a new flow, so the old owner says so.
/// Addresses are as the client sent them (client = source, VIP = destination).
/// </summary>
public readonly record struct HandoverFlow(int Rule, IPAddress Client, int ClientPort, IPAddress Vip, int VipPort);

/// <summary>
/// A client (or, with network affinity, a client network's address) that a host keeps under
/// extended affinity in a bucket it no longer owns: its new connections still go to that host until
/// the affinity timeout passes with no new connection.
/// </summary>
public readonly record struct HandoverClient(int Rule, IPAddress Client);

/// <summary>
/// One datagram of a host's hand-over for one epoch: what it keeps outside its share. A hand-over
/// is complete when all <see cref="ChunkCount"/> chunks of that epoch arrived; an empty hand-over
/// has no chunks at all and is announced by the heartbeat alone.
/// </summary>
public sealed record Handover(
    uint ClusterId,
    int HostPriority,
    ulong Incarnation,
    ulong Sequence,
    ulong Epoch,
    int ChunkIndex,
    int ChunkCount,
    IReadOnlyList<HandoverFlow> Flows,
    IReadOnlyList<HandoverClient> Clients)
{
    public bool Equals(Handover? other) =>
        other is not null && ClusterId == other.ClusterId && HostPriority == other.HostPriority
        && Incarnation == other.Incarnation && Sequence == other.Sequence && Epoch == other.Epoch
        && ChunkIndex == other.ChunkIndex && ChunkCount == other.ChunkCount
        && Flows.SequenceEqual(other.Flows) && Clients.SequenceEqual(other.Clients);

    public override int GetHashCode() => HashCode.Combine(HostPriority, Epoch, ChunkIndex, Sequence);
}
