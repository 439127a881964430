using System.Buffers.Binary;
using OpenNlb.Core.Allocation;

namespace OpenNlb.Core.Membership;

/// <summary>
/// The heartbeat wire format, version 1 (docs/heartbeat.md). Big-endian, fixed 40-byte header then
/// two bytes per port rule. Heartbeats are untrusted input: every field is length-checked and
/// range-checked before use, and parsing never throws.
/// </summary>
public static class HeartbeatCodec
{
    public const int HeaderSize = 40;
    public const int MaxRules = 256;
    public const int MaxSize = HeaderSize + (2 * MaxRules);
    public const byte Version = 1;
    public const byte TypeHeartbeat = 1;

    /// <summary>Wire value of an "equal" load weight.</summary>
    public const byte EqualWeight = 0xFF;

    /// <summary>"ONLB".</summary>
    public const uint Magic = 0x4F4E4C42;

    public static int SizeOf(Heartbeat heartbeat) => HeaderSize + (2 * heartbeat.Rules.Count);

    public static int Write(Heartbeat heartbeat, Span<byte> destination)
    {
        if (heartbeat.Rules.Count > MaxRules)
        {
            throw new ArgumentException($"a heartbeat carries at most {MaxRules} port rules", nameof(heartbeat));
        }

        var size = SizeOf(heartbeat);
        var d = destination[..size];
        BinaryPrimitives.WriteUInt32BigEndian(d[0..], Magic);
        d[4] = Version;
        d[5] = TypeHeartbeat;
        BinaryPrimitives.WriteUInt16BigEndian(d[6..], (ushort)size);
        BinaryPrimitives.WriteUInt32BigEndian(d[8..], heartbeat.ClusterId);
        BinaryPrimitives.WriteUInt64BigEndian(d[12..], heartbeat.Fingerprint);
        d[20] = checked((byte)heartbeat.HostPriority);
        d[21] = (byte)heartbeat.State;
        BinaryPrimitives.WriteUInt16BigEndian(d[22..], (ushort)heartbeat.Rules.Count);
        BinaryPrimitives.WriteUInt64BigEndian(d[24..], heartbeat.Incarnation);
        BinaryPrimitives.WriteUInt64BigEndian(d[32..], heartbeat.Sequence);
        for (var i = 0; i < heartbeat.Rules.Count; i++)
        {
            var r = heartbeat.Rules[i];
            d[HeaderSize + (2 * i)] = r.LoadWeight is { } w ? checked((byte)w) : HeartbeatCodec.EqualWeight;
            d[HeaderSize + (2 * i) + 1] = checked((byte)r.HandlingPriority);
        }

        return size;
    }

    public static HeartbeatError TryParse(ReadOnlySpan<byte> datagram, out Heartbeat? heartbeat)
    {
        heartbeat = null;
        if (datagram.Length > MaxSize)
        {
            return HeartbeatError.Oversized;
        }

        if (datagram.Length < 8)
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

        if (datagram[5] != TypeHeartbeat)
        {
            return HeartbeatError.UnknownType;
        }

        if (datagram.Length < HeaderSize)
        {
            return HeartbeatError.Truncated;
        }

        var ruleCount = BinaryPrimitives.ReadUInt16BigEndian(datagram[22..]);
        var declared = BinaryPrimitives.ReadUInt16BigEndian(datagram[6..]);
        if (ruleCount > MaxRules || declared != datagram.Length || declared != HeaderSize + (2 * ruleCount))
        {
            return HeartbeatError.LengthMismatch;
        }

        var priority = datagram[20];
        if (priority is < 1 or > 64)
        {
            return HeartbeatError.BadHostPriority;
        }

        var state = (MemberState)datagram[21];
        if (state is not (MemberState.Started or MemberState.Stopped))
        {
            return HeartbeatError.BadState;
        }

        var rules = new MemberRule[ruleCount];
        for (var i = 0; i < ruleCount; i++)
        {
            var weight = datagram[HeaderSize + (2 * i)];
            var handling = datagram[HeaderSize + (2 * i) + 1];
            if ((weight > 100 && weight != HeartbeatCodec.EqualWeight) || handling is < 1 or > 64)
            {
                return HeartbeatError.BadMemberRule;
            }

            rules[i] = new MemberRule(weight == HeartbeatCodec.EqualWeight ? null : weight, handling);
        }

        heartbeat = new Heartbeat(
            ClusterId: BinaryPrimitives.ReadUInt32BigEndian(datagram[8..]),
            Fingerprint: BinaryPrimitives.ReadUInt64BigEndian(datagram[12..]),
            HostPriority: priority,
            State: state,
            Incarnation: BinaryPrimitives.ReadUInt64BigEndian(datagram[24..]),
            Sequence: BinaryPrimitives.ReadUInt64BigEndian(datagram[32..]),
            Rules: rules);
        return HeartbeatError.None;
    }
}
