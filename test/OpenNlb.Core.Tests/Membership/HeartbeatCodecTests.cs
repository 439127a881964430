using OpenNlb.Core.Allocation;
using OpenNlb.Core.Convergence;
using OpenNlb.Core.Membership;
using Xunit;

namespace OpenNlb.Core.Tests.Membership;

public sealed class HeartbeatCodecTests
{
    // Version 1 of the same heartbeat (no tag): what a host of the previous release sends.
    private const string Version1Hex =
        "4f4e4c42" + "01" + "01" + "002c" + "01020304" + "1122334455667788" + "03" + "01" + "0002"
        + "0000019abcdef012" + "000000000000002a" + "ff03" + "5001";

    [Fact]
    public void Write_ProducesThePinnedBytes()
    {
        var buffer = new byte[HeartbeatCodec.MaxSize];

        var n = HeartbeatCodec.Write(WireSamples.Heartbeat, WireSamples.Key, buffer);

        Assert.Equal(WireSamples.HeartbeatHex, Convert.ToHexStringLower(buffer.AsSpan(0, n)));
        Assert.Equal(HeartbeatCodec.SizeOf(WireSamples.Heartbeat), n);
    }

    [Fact]
    public void TryParse_ReadsThePinnedBytes()
    {
        Assert.Equal(HeartbeatError.None, HeartbeatCodec.TryParse(Convert.FromHexString(WireSamples.HeartbeatHex), WireSamples.Key, out var hb));

        Assert.Equal(WireSamples.Heartbeat, hb);
        Assert.Equal(RuleState.Draining, hb!.Rules[1].State);
        Assert.Equal(1, hb.Adopted!.Issuer);
    }

    [Fact]
    public void RoundTrip_NothingAdoptedNoRules_IsTheMinimalDatagram()
    {
        var hb = new Heartbeat(7, 8, 64, MemberState.Suspended, 1, 0, [], HandoverChunks: Heartbeat.HandoverPending);

        var bytes = WireSamples.Encode(hb);

        Assert.Equal(HeartbeatCodec.MinSize, bytes.Length);
        Assert.Equal(HeartbeatError.None, HeartbeatCodec.TryParse(bytes, WireSamples.Key, out var parsed));
        Assert.Equal(hb, parsed);
        Assert.Null(parsed!.Adopted);
        Assert.Equal(Heartbeat.HandoverPending, parsed.HandoverChunks);
        Assert.Equal(bytes, WireSamples.Encode(hb with { Adopted = Proposal.None }));
    }

    [Fact]
    public void RoundTrip_LargestHeartbeat_FillsMaxSize()
    {
        var rules = Enumerable.Range(0, HeartbeatCodec.MaxRules)
            .Select(i => new MemberRule(i % 3 == 0 ? null : i, (i % 64) + 1, (RuleState)((i % 3) + 1)))
            .ToArray();
        var members = Enumerable.Range(1, HeartbeatCodec.MaxMembers).Select(p => new Member(p, rules)).ToArray();
        var hb = WireSamples.Heartbeat with
        {
            Rules = rules,
            Adopted = new Proposal(Proposal.MakeEpoch(ulong.MaxValue >> 8, 64), members),
            View = ulong.MaxValue,
            HandoverAcks = ulong.MaxValue,
            HandoverChunks = HandoverCodec.MaxChunks,
        };

        var bytes = WireSamples.Encode(hb);

        Assert.Equal(HeartbeatCodec.MaxSize, bytes.Length);
        Assert.Equal(6402, bytes.Length);
        Assert.Equal(HeartbeatError.None, HeartbeatCodec.TryParse(bytes, WireSamples.Key, out var parsed));
        Assert.Equal(hb, parsed);
    }

    [Theory]
    [InlineData(0, HeartbeatError.Truncated)]
    [InlineData(7, HeartbeatError.Truncated)]
    [InlineData(HeartbeatCodec.MinSize - 1, HeartbeatError.Truncated)]
    [InlineData(109, HeartbeatError.LengthMismatch)]
    public void TryParse_Truncated_IsRefusedBeforeTheTag(int length, HeartbeatError expected)
    {
        var bytes = Convert.FromHexString(WireSamples.HeartbeatHex).AsSpan(0, length).ToArray();

        Assert.Equal(expected, HeartbeatCodec.TryParse(bytes, WireSamples.Key, out var hb));
        Assert.Null(hb);
    }

    [Fact]
    public void TryParse_Oversized_IsRefused()
    {
        var bytes = new byte[HeartbeatCodec.MaxSize + 1];
        Convert.FromHexString(WireSamples.HeartbeatHex).CopyTo(bytes, 0);

        Assert.Equal(HeartbeatError.Oversized, HeartbeatCodec.TryParse(bytes, WireSamples.Key, out _));
    }

    [Theory]
    [InlineData(0, 0x00, HeartbeatError.BadMagic)]
    [InlineData(4, 0x02, HeartbeatError.UnsupportedVersion)]
    [InlineData(4, 0x04, HeartbeatError.UnsupportedVersion)]
    [InlineData(5, 0x02, HeartbeatError.UnknownType)]
    [InlineData(5, 0x07, HeartbeatError.UnknownType)]
    [InlineData(7, 0x77, HeartbeatError.LengthMismatch)]
    public void TryParse_BadFixedHeader_IsRefusedBeforeTheTag(int offset, byte value, HeartbeatError expected)
    {
        var bytes = Convert.FromHexString(WireSamples.HeartbeatHex);
        bytes[offset] = value;

        Assert.Equal(expected, HeartbeatCodec.TryParse(bytes, WireSamples.Key, out _));
    }

    [Fact]
    public void TryParse_Version1_IsUnsupported()
    {
        // Version 1 carried no tag: a cluster must not be run half on it.
        Assert.Equal(HeartbeatError.UnsupportedVersion, HeartbeatCodec.TryParse(Convert.FromHexString(Version1Hex), WireSamples.Key, out _));
    }

    [Fact]
    public void TryParse_AnotherKey_IsForged()
    {
        var bytes = WireSamples.Encode(WireSamples.Heartbeat, WireSamples.OtherKey);

        Assert.Equal(HeartbeatError.Forged, HeartbeatCodec.TryParse(bytes, WireSamples.Key, out var hb));
        Assert.Null(hb);
    }

    [Theory]
    [InlineData(8)] // cluster id
    [InlineData(12)] // host priority
    [InlineData(28)] // sequence
    [InlineData(29)] // state
    [InlineData(64)] // rule count
    [InlineData(79)] // member count
    [InlineData(93)] // last rule byte
    [InlineData(94)] // first tag byte
    [InlineData(109)] // last tag byte
    public void TryParse_AnyBitFlippedPastTheFixedHeader_IsForged(int offset)
    {
        for (var bit = 0; bit < 8; bit++)
        {
            var bytes = Convert.FromHexString(WireSamples.HeartbeatHex);
            bytes[offset] ^= (byte)(1 << bit);

            Assert.Equal(HeartbeatError.Forged, HeartbeatCodec.TryParse(bytes, WireSamples.Key, out _));
        }
    }

    [Fact]
    public void TryParse_StructuralGarbageWithABadTag_IsForgedNotParsed()
    {
        // A state, rule count and member count that the parser would refuse: without the key they
        // must never reach it, so the answer is Forged, not BadState or LengthMismatch.
        var bytes = Convert.FromHexString(WireSamples.HeartbeatHex);
        bytes[29] = 0xEE;
        bytes[64] = 0xFF;
        bytes[79] = 0xFF;

        Assert.Equal(HeartbeatError.Forged, HeartbeatCodec.TryParse(bytes, WireSamples.Key, out _));
    }

    // Authentic (the tag is recomputed with the key) yet malformed: a peer's bug, refused field by field.
    [Theory]
    [InlineData(12, 0, HeartbeatError.BadHostPriority)]
    [InlineData(12, 65, HeartbeatError.BadHostPriority)]
    [InlineData(29, 0, HeartbeatError.BadState)]
    [InlineData(29, 5, HeartbeatError.BadState)]
    [InlineData(54, 0x10, HeartbeatError.BadHandover)] // 0x1002 chunks, over 4096
    [InlineData(64, 33, HeartbeatError.LengthMismatch)]
    [InlineData(64, 3, HeartbeatError.LengthMismatch)]
    [InlineData(64, 1, HeartbeatError.LengthMismatch)]
    [InlineData(65, 101, HeartbeatError.BadMemberRule)]
    [InlineData(66, 0, HeartbeatError.BadMemberRule)]
    [InlineData(66, 65, HeartbeatError.BadMemberRule)]
    [InlineData(67, 0, HeartbeatError.BadMemberRule)]
    [InlineData(67, 4, HeartbeatError.BadMemberRule)]
    [InlineData(78, 0, HeartbeatError.BadProposal)] // epoch whose issuer is 0
    [InlineData(78, 65, HeartbeatError.BadProposal)]
    [InlineData(79, 3, HeartbeatError.LengthMismatch)]
    [InlineData(79, 1, HeartbeatError.LengthMismatch)]
    [InlineData(80, 3, HeartbeatError.BadProposal)] // members 3, 3: not increasing
    [InlineData(80, 0, HeartbeatError.BadProposal)]
    [InlineData(87, 1, HeartbeatError.BadProposal)] // members 1, 1
    [InlineData(87, 65, HeartbeatError.BadProposal)]
    [InlineData(88, 101, HeartbeatError.BadMemberRule)]
    [InlineData(90, 4, HeartbeatError.BadMemberRule)]
    public void TryParse_AuthenticButMalformed_IsRefusedWithWhy(int offset, byte value, HeartbeatError expected)
    {
        var bytes = Convert.FromHexString(WireSamples.HeartbeatHex);
        bytes[offset] = value;
        WireSamples.ResealOnly(bytes);

        Assert.Equal(expected, HeartbeatCodec.TryParse(bytes, WireSamples.Key, out var hb));
        Assert.Null(hb);
    }

    [Fact]
    public void TryParse_EpochZeroWithMembers_IsABadProposal()
    {
        var bytes = Convert.FromHexString(WireSamples.HeartbeatHex);
        bytes.AsSpan(71, 8).Clear();
        WireSamples.ResealOnly(bytes);

        Assert.Equal(HeartbeatError.BadProposal, HeartbeatCodec.TryParse(bytes, WireSamples.Key, out _));
    }

    [Fact]
    public void TryParse_ExtraBytesUnderAValidTag_IsALengthMismatch()
    {
        var bytes = new byte[110 + 3];
        Convert.FromHexString(WireSamples.HeartbeatHex).AsSpan(0, 94).CopyTo(bytes);
        WireSamples.Reseal(bytes);

        Assert.Equal(HeartbeatError.LengthMismatch, HeartbeatCodec.TryParse(bytes, WireSamples.Key, out _));
    }

    [Fact]
    public void TryParse_ForgedDatagram_AllocatesNothing()
    {
        var forged = Convert.FromHexString(WireSamples.HeartbeatHex);
        forged[100] ^= 1;
        _ = HeartbeatCodec.TryParse(forged, WireSamples.Key, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            _ = HeartbeatCodec.TryParse(forged, WireSamples.Key, out _);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    public static TheoryData<string, Heartbeat> Unencodable => new()
    {
        { "host priority 0", WireSamples.Heartbeat with { HostPriority = 0 } },
        { "state 0", WireSamples.Heartbeat with { State = 0 } },
        { "4097 chunks", WireSamples.Heartbeat with { HandoverChunks = 4097 } },
        { "weight 101", WireSamples.Heartbeat with { Rules = [new MemberRule(101, 1), new MemberRule(1, 1)] } },
        { "33 rules", WireSamples.Heartbeat with { Rules = [.. Enumerable.Repeat(new MemberRule(null, 1), 33)], Adopted = null } },
        { "member rule count", WireSamples.Heartbeat with { Rules = [new MemberRule(null, 3)] } },
        { "members out of order", WireSamples.Heartbeat with { Adopted = WireSamples.Heartbeat.Adopted! with { Members = [.. WireSamples.Heartbeat.Adopted!.Members.Reverse()] } } },
        { "epoch without issuer", WireSamples.Heartbeat with { Adopted = WireSamples.Heartbeat.Adopted! with { Epoch = 0x500 } } },
        { "epoch 0 with members", WireSamples.Heartbeat with { Adopted = WireSamples.Heartbeat.Adopted! with { Epoch = 0 } } },
    };

    [Theory]
    [MemberData(nameof(Unencodable))]
    public void Write_WhatTheParserWouldRefuse_Throws(string what, Heartbeat heartbeat)
    {
        var buffer = new byte[HeartbeatCodec.MaxSize];

        var e = Assert.Throws<ArgumentException>(() => HeartbeatCodec.Write(heartbeat, WireSamples.Key, buffer));
        Assert.StartsWith("cannot encode this heartbeat", e.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(what));
    }

    [Fact]
    public void Write_BufferTooSmall_Throws()
    {
        Assert.Throws<ArgumentException>(() => HeartbeatCodec.Write(WireSamples.Heartbeat, WireSamples.Key, new byte[109]));
    }

    [Fact]
    public void WireFormat_TryPeek_ReadsTypeAndClusterWithoutTheKey()
    {
        Assert.True(WireFormat.TryPeek(Convert.FromHexString(WireSamples.HeartbeatHex), out var type, out var cluster));
        Assert.Equal(WireFormat.TypeHeartbeat, type);
        Assert.Equal(0x01020304u, cluster);
        Assert.True(WireFormat.TryPeek(Convert.FromHexString(WireSamples.HandoverHex), out type, out _));
        Assert.Equal(WireFormat.TypeHandover, type);
        Assert.False(WireFormat.TryPeek(Convert.FromHexString(Version1Hex), out _, out _));
        Assert.False(WireFormat.TryPeek(new byte[11], out _, out _));
        Assert.Equal(HeartbeatCodec.MaxSize, WireFormat.MaxDatagramSize);
    }
}
