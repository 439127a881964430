using OpenNlb.Core.Convergence;
using OpenNlb.Core.Membership;

namespace OpenNlb.Daemon;

/// <summary>Datagrams in and out: heartbeats and hand-over chunks, authenticated, replays refused.</summary>
internal sealed class Wire
{
    public const int MaxDatagram = HeartbeatCodec.MaxSize;

    public byte[] Encode(Heartbeat heartbeat)
    {
        var buffer = new byte[HeartbeatCodec.SizeOf(heartbeat)];
        HeartbeatCodec.Write(heartbeat, buffer);
        return buffer;
    }

    public byte[] Encode(Handover chunk) => throw new NotSupportedException("hand-over datagrams need the v2 codec");

    /// <summary>One of heartbeat or hand-over, or the reason the datagram was refused.</summary>
    public (Heartbeat? Heartbeat, Handover? Handover, string? Error) Decode(ReadOnlySpan<byte> datagram)
    {
        var error = HeartbeatCodec.TryParse(datagram, out var heartbeat);
        return error == HeartbeatError.None ? (heartbeat, null, null) : (null, null, error.ToString());
    }
}
