using System.Buffers.Binary;

namespace OpenNlb.Core.Membership;

/// <summary>
/// What heartbeats and hand-overs share (docs/heartbeat.md): a fixed header (magic, version, type,
/// length), a common header (cluster, sender, incarnation, sequence), a body, and a 16-byte tag,
/// HMAC-SHA256 with the cluster key over every byte before it. Only the fixed header is read
/// before the tag is checked: forged input never reaches a structural parser.
/// </summary>
public static class WireFormat
{
    /// <summary>"ONLB".</summary>
    public const uint Magic = 0x4F4E4C42;

    /// <summary>
    /// Version 1 had no tag, version 2 no staged fingerprint (a cluster change waiting to be
    /// switched to); both are refused as <see cref="HeartbeatError.UnsupportedVersion"/>.
    /// </summary>
    public const byte Version = 3;

    public const byte TypeHeartbeat = 1;

    public const byte TypeHandover = 2;

    /// <summary>A command for another host (remote control; off unless the target allows it).</summary>
    public const byte TypeRemoteRequest = 3;

    public const byte TypeRemoteReply = 4;

    /// <summary>Magic, version, type, length: all that is read before the tag is checked.</summary>
    public const int FixedHeaderSize = 8;

    /// <summary>The fixed header, cluster id, host priority, incarnation and sequence.</summary>
    public const int HeaderSize = 29;

    public const int TagSize = 16;

    /// <summary>The largest datagram of any type; a receive buffer one byte larger tells an oversized one apart.</summary>
    public static int MaxDatagramSize => Math.Max(Math.Max(HeartbeatCodec.MaxSize, HandoverCodec.MaxSize), RemoteCodec.ReplyMaxSize);

    /// <summary>
    /// The type and cluster id of a datagram that looks like ours, <b>before</b> anything is
    /// authenticated: for dispatching to the right parser and for counting other clusters' traffic,
    /// never for a decision.
    /// </summary>
    public static bool TryPeek(ReadOnlySpan<byte> datagram, out byte type, out uint clusterId)
    {
        type = 0;
        clusterId = 0;
        if (datagram.Length < 12 || BinaryPrimitives.ReadUInt32BigEndian(datagram) != Magic || datagram[4] != Version)
        {
            return false;
        }

        type = datagram[5];
        clusterId = BinaryPrimitives.ReadUInt32BigEndian(datagram[8..]);
        return true;
    }

    internal static void WriteHeader(ref WireWriter writer, byte type, int length, uint clusterId, int priority, ulong incarnation, ulong sequence)
    {
        writer.UInt32(Magic);
        writer.Byte(Version);
        writer.Byte(type);
        writer.UInt16(checked((ushort)length));
        writer.UInt32(clusterId);
        writer.Byte(checked((byte)priority));
        writer.UInt64(incarnation);
        writer.UInt64(sequence);
    }

    /// <summary>Writes the tag over the last <see cref="TagSize"/> bytes of a datagram whose other bytes are written.</summary>
    internal static void Seal(Span<byte> datagram, ClusterKey key) =>
        key.Sign(datagram[..^TagSize], datagram[^TagSize..]);

    /// <summary>
    /// Checks the fixed header, the length (against the datagram and the type's bounds) and then
    /// the tag. On <see cref="HeartbeatError.None"/> the datagram is authentic and its declared
    /// length is its length; nothing beyond the fixed header has been read.
    /// </summary>
    internal static HeartbeatError Open(ReadOnlySpan<byte> datagram, byte type, int minSize, int maxSize, ClusterKey key)
    {
        if (datagram.Length < FixedHeaderSize)
        {
            return HeartbeatError.Truncated;
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(datagram) != Magic)
        {
            return HeartbeatError.BadMagic;
        }

        if (datagram[4] != Version)
        {
            return HeartbeatError.UnsupportedVersion;
        }

        if (datagram[5] != type)
        {
            return HeartbeatError.UnknownType;
        }

        if (datagram.Length > maxSize)
        {
            return HeartbeatError.Oversized;
        }

        if (datagram.Length < minSize)
        {
            return HeartbeatError.Truncated;
        }

        if (BinaryPrimitives.ReadUInt16BigEndian(datagram[6..]) != datagram.Length)
        {
            return HeartbeatError.LengthMismatch;
        }

        return key.Verify(datagram[..^TagSize], datagram[^TagSize..]) ? HeartbeatError.None : HeartbeatError.Forged;
    }

    /// <summary>
    /// <see cref="Open"/>, then the common header: what every parser does first. On
    /// <see cref="HeartbeatError.None"/> the body is read from <see cref="Body"/>.
    /// </summary>
    internal static HeartbeatError OpenWithHeader(ReadOnlySpan<byte> datagram, byte type, int minSize, int maxSize, ClusterKey key, out WireHeader header)
    {
        header = default;
        var error = Open(datagram, type, minSize, maxSize, key);
        if (error != HeartbeatError.None)
        {
            return error;
        }

        // Authentic from here on: a refusal below is a peer's bug or another version, not an attack.
        var r = new WireReader(datagram[..^TagSize]);
        error = ReadHeader(ref r, out var clusterId, out var priority, out var incarnation, out var sequence);
        header = new WireHeader(clusterId, priority, incarnation, sequence);
        return error;
    }

    /// <summary>A reader of an opened datagram's body: after the common header, before the tag.</summary>
    internal static WireReader Body(ReadOnlySpan<byte> datagram)
    {
        var r = new WireReader(datagram[..^TagSize]);
        r.Skip(HeaderSize);
        return r;
    }

    /// <summary>Reads the common header of an opened datagram; only the host priority can be wrong.</summary>
    internal static HeartbeatError ReadHeader(ref WireReader reader, out uint clusterId, out int priority, out ulong incarnation, out ulong sequence)
    {
        reader.Skip(FixedHeaderSize);
        clusterId = reader.UInt32();
        priority = reader.Byte();
        incarnation = reader.UInt64();
        sequence = reader.UInt64();
        return priority is < 1 or > 64 ? HeartbeatError.BadHostPriority : HeartbeatError.None;
    }
}

/// <summary>The common header of an authentic datagram.</summary>
internal readonly record struct WireHeader(uint ClusterId, int Priority, ulong Incarnation, ulong Sequence);
