using OpenNlb.Core.Control;
using OpenNlb.Core.Convergence;
using OpenNlb.Core.Membership;

namespace OpenNlb.Daemon;

/// <summary>
/// Datagrams in and out: heartbeats, hand-over chunks and remote control, authenticated with the cluster key,
/// replays refused. Every refusal has a reason, which becomes a counter; none changes anything.
/// </summary>
internal sealed class Wire(ClusterKey key, LocalIdentity self)
{
    public static int MaxDatagram => WireFormat.MaxDatagramSize;

    private readonly ReplayGuard _replays = new();

    /// <summary>This host; its fingerprint and rule count change when the cluster section switches (under the loop's send lock).</summary>
    public LocalIdentity Self
    {
        get => self;
        set => self = value;
    }

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

    public byte[] Encode(RemoteRequest request) => RemoteCodec.Encode(request, key);

    public byte[] Encode(RemoteReply reply) => RemoteCodec.Encode(reply, key);

    /// <summary>
    /// A <see cref="Heartbeat"/>, <see cref="Handover"/>, <see cref="RemoteRequest"/> or
    /// <see cref="RemoteReply"/>, or the reason the datagram was refused. Our own datagrams,
    /// looped back by the broadcast, come back as neither with no reason.
    /// </summary>
    public (object? Message, string? Error) Decode(ReadOnlySpan<byte> datagram)
    {
        if (!WireFormat.TryPeek(datagram, out var type, out var cluster))
        {
            return (null, "not_opennlb");
        }

        if (cluster != self.ClusterId)
        {
            return (null, "other_cluster");
        }

        object? message = null;
        HeartbeatError error;
        switch (type)
        {
            case WireFormat.TypeHeartbeat:
                error = HeartbeatCodec.TryParse(datagram, key, out var heartbeat);
                message = heartbeat;
                break;
            case WireFormat.TypeHandover:
                error = HandoverCodec.TryParse(datagram, key, out var handover);
                message = handover;
                break;
            case WireFormat.TypeRemoteRequest:
                error = RemoteCodec.TryParse(datagram, key, out RemoteRequest? request);
                message = request;
                break;
            case WireFormat.TypeRemoteReply:
                error = RemoteCodec.TryParse(datagram, key, out RemoteReply? reply);
                message = reply;
                break;
            default:
                error = HeartbeatError.UnknownType;
                break;
        }

        if (error != HeartbeatError.None)
        {
            return (null, Snake(error.ToString()));
        }

        var (priority, incarnation, sequence) = message switch
        {
            Heartbeat h => (h.HostPriority, h.Incarnation, h.Sequence),
            Handover c => (c.HostPriority, c.Incarnation, c.Sequence),
            RemoteRequest q => (q.HostPriority, q.Incarnation, q.Sequence),
            RemoteReply a => (a.HostPriority, a.Incarnation, a.Sequence),
            _ => throw new InvalidOperationException("a parser accepted without a message"),
        };
        if (priority == self.Priority && incarnation == self.Incarnation)
        {
            return (null, null);
        }

        return _replays.Check(priority, incarnation, sequence) == ReplayVerdict.Replayed
            ? (null, "replayed")
            : (message, null);
    }

    private static string Snake(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
