using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using OpenNlb.Core.Allocation;
using OpenNlb.Core.Convergence;
using OpenNlb.Core.Membership;

namespace OpenNlb.Core.Tests.Membership;

/// <summary>Datagrams the wire tests start from, and the key they are sealed with.</summary>
internal static class WireSamples
{
    private static readonly byte[] KeyBytes = [.. Enumerable.Range(0, 32).Select(i => (byte)i)];

    /// <summary>Bytes 0..31: fixed, so that the golden tags below never change.</summary>
    public static ClusterKey Key { get; } = new(KeyBytes);

    public static ClusterKey OtherKey { get; } = new([.. Enumerable.Range(1, 32).Select(i => (byte)i)]);

    /// <summary>Every field set, two rules, an adopted proposal of two members.</summary>
    public static Heartbeat Heartbeat { get; } = new(
        ClusterId: 0x01020304,
        Fingerprint: 0x1122334455667788,
        HostPriority: 3,
        State: MemberState.Draining,
        Incarnation: 0x0000019A_BCDEF012,
        Sequence: 42,
        Rules: [new MemberRule(null, 3), new MemberRule(80, 1, RuleState.Draining)],
        View: 0b111,
        Adopted: new Proposal(Proposal.MakeEpoch(5, 1),
        [
            new Member(1, [new MemberRule(null, 1), new MemberRule(100, 2)]),
            new Member(3, [new MemberRule(null, 3), new MemberRule(80, 1, RuleState.Draining)]),
        ]),
        HandoverEpoch: Proposal.MakeEpoch(5, 1),
        HandoverChunks: 2,
        HandoverAcks: 0b101,
        Staged: 0x99AABBCCDDEEFF00);

    /// <summary>
    /// <see cref="Heartbeat"/> under <see cref="Key"/>, field by field as docs/heartbeat.md lays
    /// it out; computed apart from the codec (Python's struct and hmac), so the two agree with the
    /// document and not merely with each other. A change here breaks every running cluster.
    /// </summary>
    public const string HeartbeatHex =
        "4f4e4c42" + "03" + "01" + "0076" + "01020304" + "03" + "0000019abcdef012" + "000000000000002a" // header
        + "03" + "1122334455667788" + "0000000000000007" + "0000000000000501" + "0002" + "0000000000000005" // state .. acks
        + "02" + "ff0301" + "500103" // rules
        + "0000000000000501" + "02" + "01" + "ff0101" + "640201" + "03" + "ff0301" + "500103" // adopted
        + "99aabbccddeeff00" // staged
        + "a6515bbbd045b0140d10f564eb44728a"; // tag

    /// <summary>An IPv4 and an IPv6 flow and an IPv4 client network.</summary>
    public static Handover Handover { get; } = new(
        ClusterId: 0x01020304,
        HostPriority: 2,
        Incarnation: 0x0000019A_BCDEF012,
        Sequence: 43,
        Epoch: Proposal.MakeEpoch(5, 1),
        ChunkIndex: 0,
        ChunkCount: 1,
        Flows:
        [
            new HandoverFlow(0, IPAddress.Parse("198.51.100.7"), 40000, IPAddress.Parse("192.0.2.100"), 53),
            new HandoverFlow(1, IPAddress.Parse("2001:db8::7"), 40001, IPAddress.Parse("2001:db8::100"), 443),
        ],
        Clients: [new HandoverClient(2, IPAddress.Parse("198.51.100.0"))]);

    public const string HandoverHex =
        "4f4e4c42" + "03" + "02" + "0077" + "01020304" + "02" + "0000019abcdef012" + "000000000000002b" // header
        + "0000000000000501" + "0000" + "0001" + "0002" + "0001" // epoch, chunk 0 of 1, 2 flows, 1 client
        + "00" + "04" + "c6336407" + "9c40" + "c0000264" + "0035" // 198.51.100.7:40000 -> 192.0.2.100:53
        + "01" + "06" + "20010db8000000000000000000000007" + "9c41" + "20010db8000000000000000000000100" + "01bb"
        + "02" + "04" + "c6336400" // client network 198.51.100.0
        + "59fa60b401810b24df12915e23a411a5"; // tag

    public static byte[] Encode(Heartbeat heartbeat, ClusterKey? key = null)
    {
        var bytes = new byte[HeartbeatCodec.SizeOf(heartbeat)];
        Assert(HeartbeatCodec.Write(heartbeat, key ?? Key, bytes) == bytes.Length);
        return bytes;
    }

    public static byte[] Encode(Handover handover, ClusterKey? key = null)
    {
        var bytes = new byte[HandoverCodec.SizeOf(handover)];
        Assert(HandoverCodec.Write(handover, key ?? Key, bytes) == bytes.Length);
        return bytes;
    }

    /// <summary>Sets the length field to the buffer's length and recomputes the tag: a forger who holds the key.</summary>
    public static void Reseal(Span<byte> datagram)
    {
        BinaryPrimitives.WriteUInt16BigEndian(datagram[6..], (ushort)datagram.Length);
        ResealOnly(datagram);
    }

    /// <summary>Recomputes the tag under <see cref="Key"/> over the bytes as they are.</summary>
    public static void ResealOnly(Span<byte> datagram)
    {
        Span<byte> mac = stackalloc byte[32];
        lock (Mac)
        {
            Mac.AppendData(datagram[..^16]);
            _ = Mac.GetHashAndReset(mac);
        }

        mac[..16].CopyTo(datagram[^16..]);
    }

    // The test's own HMAC, apart from ClusterKey's; kept because keying one per call costs more
    // than the fuzz test's parsing.
    private static readonly IncrementalHash Mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, KeyBytes);

    private static void Assert(bool condition)
    {
        if (!condition)
        {
            throw new InvalidOperationException("the codec wrote another size than SizeOf");
        }
    }
}
