using OpenNlb.Core.Convergence;
using OpenNlb.Core.Membership;

namespace OpenNlb.Daemon;

/// <summary>
/// Datagrams in and out: heartbeats and hand-over chunks, authenticated with the cluster key,
/// replays refused. Every refusal has a reason, which becomes a counter; none changes anything.
/// </summary>
internal sealed class Wire(ClusterKey key, LocalIdentity self)
{
    public static int MaxDatagram => WireFormat.MaxDatagramSize;

    private readonly ReplayGuard _replays = new();

    public byte[] Encode(Heartbeat heartbeat)
    {
        var buffer = new byte[HeartbeatCodec.SizeOf(heartbeat)];
        HeartbeatCodec.Write(heartbeat, key, buffer);
        return buffer;
    }

    public byte[] Encode(Handover chunk)
    {
        var buffer = new byte[HandoverCodec.SizeOf(chunk)];
        HandoverCodec.Write(chunk, key, buffer);
        return buffer;
    }

    /// <summary>
    /// A heartbeat or a hand-over chunk, or the reason the datagram was refused. Our own
    /// datagrams, looped back by the broadcast, come back as neither with no reason.
    /// </summary>
    public (Heartbeat? Heartbeat, Handover? Handover, string? Error) Decode(ReadOnlySpan<byte> datagram)
    {
        if (!WireFormat.TryPeek(datagram, out var type, out var cluster))
        {
            return (null, null, "not_opennlb");
        }

        if (cluster != self.ClusterId)
        {
            return (null, null, "other_cluster");
        }

        Heartbeat? heartbeat = null;
        Handover? handover = null;
        var error = type switch
        {
            WireFormat.TypeHeartbeat => HeartbeatCodec.TryParse(datagram, key, out heartbeat),
            WireFormat.TypeHandover => HandoverCodec.TryParse(datagram, key, out handover),
            _ => HeartbeatError.UnknownType,
        };
        if (error != HeartbeatError.None)
        {
            return (null, null, Snake(error.ToString()));
        }

        var (priority, incarnation, sequence) = heartbeat is not null
            ? (heartbeat.HostPriority, heartbeat.Incarnation, heartbeat.Sequence)
            : (handover!.HostPriority, handover.Incarnation, handover.Sequence);
        if (priority == self.Priority && incarnation == self.Incarnation)
        {
            return (null, null, null);
        }

        return _replays.Check(priority, incarnation, sequence) == ReplayVerdict.Replayed
            ? (null, null, "replayed")
            : (heartbeat, handover, null);
    }

    private static string Snake(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
