using System.Net;
using OpenNlb.Core.Convergence;
using OpenNlb.Core.Membership;
using Xunit;

namespace OpenNlb.Core.Tests.Membership;

public sealed class HandoverCodecTests
{
    [Fact]
    public void Write_ProducesThePinnedBytes()
    {
        var buffer = new byte[HandoverCodec.MaxSize];

        var n = HandoverCodec.Write(WireSamples.Handover, WireSamples.Key, buffer);

        Assert.Equal(WireSamples.HandoverHex, Convert.ToHexStringLower(buffer.AsSpan(0, n)));
    }

    [Fact]
    public void TryParse_ReadsThePinnedBytes()
    {
        Assert.Equal(HeartbeatError.None, HandoverCodec.TryParse(Convert.FromHexString(WireSamples.HandoverHex), WireSamples.Key, out var handover));

        Assert.Equal(WireSamples.Handover, handover);
    }

    [Fact]
    public void TryParse_AHeartbeat_IsNotAHandover_AndTheOtherWayRound()
    {
        Assert.Equal(HeartbeatError.UnknownType, HandoverCodec.TryParse(Convert.FromHexString(WireSamples.HeartbeatHex), WireSamples.Key, out _));
        Assert.Equal(HeartbeatError.UnknownType, HeartbeatCodec.TryParse(Convert.FromHexString(WireSamples.HandoverHex), WireSamples.Key, out _));
    }

    [Fact]
    public void TryParse_AnotherKey_IsForged()
    {
        Assert.Equal(HeartbeatError.Forged, HandoverCodec.TryParse(WireSamples.Encode(WireSamples.Handover, WireSamples.OtherKey), WireSamples.Key, out _));
    }

    [Fact]
    public void TryParse_StructuralGarbageWithABadTag_IsForgedNotParsed()
    {
        var bytes = Convert.FromHexString(WireSamples.HandoverHex);
        bytes[40] = 0; // chunk count 0
        bytes[42] = 0xFF; // 255 flows
        bytes[46] = 9; // family 9

        Assert.Equal(HeartbeatError.Forged, HandoverCodec.TryParse(bytes, WireSamples.Key, out _));
    }

    [Theory]
    [InlineData(0, HeartbeatError.Truncated)]
    [InlineData(HandoverCodec.MinSize - 1, HeartbeatError.Truncated)]
    [InlineData(118, HeartbeatError.LengthMismatch)]
    public void TryParse_Truncated_IsRefusedBeforeTheTag(int length, HeartbeatError expected)
    {
        Assert.Equal(expected, HandoverCodec.TryParse(Convert.FromHexString(WireSamples.HandoverHex).AsSpan(0, length), WireSamples.Key, out _));
    }

    [Fact]
    public void TryParse_OverTheDatagramLimit_IsOversized()
    {
        var bytes = new byte[HandoverCodec.MaxSize + 1];
        Convert.FromHexString(WireSamples.HandoverHex).CopyTo(bytes, 0);
        WireSamples.Reseal(bytes);

        Assert.Equal(HeartbeatError.Oversized, HandoverCodec.TryParse(bytes, WireSamples.Key, out _));
    }

    // Authentic yet malformed. Offsets: 37 chunk index, 39 chunk count, 41 flow count, 43 client
    // count, 45 first flow (rule, family, ...), 59 second flow, 97 the client (rule, family, address).
    [Theory]
    [InlineData(12, "00", HeartbeatError.BadHostPriority)]
    [InlineData(37, "0001", HeartbeatError.BadHandover)] // chunk 1 of 1
    [InlineData(39, "0000", HeartbeatError.BadHandover)] // no chunks
    [InlineData(39, "1001", HeartbeatError.BadHandover)] // 4097 chunks
    [InlineData(41, "0003", HeartbeatError.LengthMismatch)]
    [InlineData(41, "0001", HeartbeatError.LengthMismatch)]
    [InlineData(41, "ffff", HeartbeatError.LengthMismatch)]
    [InlineData(43, "0000", HeartbeatError.LengthMismatch)]
    [InlineData(43, "0002", HeartbeatError.LengthMismatch)]
    [InlineData(45, "20", HeartbeatError.BadRuleIndex)] // rule 32
    [InlineData(46, "05", HeartbeatError.BadAddress)]
    [InlineData(60, "00", HeartbeatError.BadAddress)]
    [InlineData(97, "ff", HeartbeatError.BadRuleIndex)]
    [InlineData(98, "06", HeartbeatError.LengthMismatch)] // an IPv6 client where 4 bytes are left
    [InlineData(98, "2a", HeartbeatError.BadAddress)]
    public void TryParse_AuthenticButMalformed_IsRefusedWithWhy(int offset, string hex, HeartbeatError expected)
    {
        var bytes = Convert.FromHexString(WireSamples.HandoverHex);
        Convert.FromHexString(hex).CopyTo(bytes, offset);
        WireSamples.ResealOnly(bytes);

        Assert.Equal(expected, HandoverCodec.TryParse(bytes, WireSamples.Key, out var handover));
        Assert.Null(handover);
    }

    [Fact]
    public void Chunk_Nothing_GivesNoChunks()
    {
        Assert.Empty(HandoverCodec.Chunk(1, 2, 3, 0x501, [], [], out var leftOut));
        Assert.Equal(0, leftOut);
    }

    [Theory]
    [InlineData(95, 0, 1)] // 61 + 95 x 14 = 1391 bytes
    [InlineData(96, 0, 2)]
    [InlineData(0, 223, 1)] // 61 + 223 x 6 = 1399 bytes
    [InlineData(0, 224, 2)]
    public void Chunk_FillsEachDatagramUpTo1400Bytes(int flows, int clients, int chunks)
    {
        var result = HandoverCodec.Chunk(1, 2, 3, 0x501, Flows(flows, v6Every: 0), Clients(clients), out _);

        Assert.Equal(chunks, result.Count);
        Assert.All(result, c => Assert.InRange(HandoverCodec.SizeOf(c), HandoverCodec.MinSize, HandoverCodec.MaxSize));
    }

    [Fact]
    public void Chunk_MixedFamilies_RoundTripsEveryEntryInOrder()
    {
        var flows = Flows(1000, v6Every: 3);
        var clients = Clients(3000);

        var chunks = HandoverCodec.Chunk(0x01020304, 5, 77, 0x905, flows, clients, out var leftOut);

        Assert.Equal(0, leftOut);
        var parsed = new List<Handover>();
        for (var i = 0; i < chunks.Count; i++)
        {
            var bytes = WireSamples.Encode(chunks[i] with { Sequence = (ulong)i + 1 });
            Assert.InRange(bytes.Length, HandoverCodec.MinSize, HandoverCodec.MaxSize);
            Assert.Equal(HeartbeatError.None, HandoverCodec.TryParse(bytes, WireSamples.Key, out var handover));
            parsed.Add(handover!);
        }

        Assert.Equal(Enumerable.Range(0, chunks.Count), parsed.Select(h => h.ChunkIndex));
        Assert.All(parsed, h => Assert.Equal((chunks.Count, 0x905ul, 5), (h.ChunkCount, h.Epoch, h.HostPriority)));
        Assert.Equal(flows, parsed.SelectMany(h => h.Flows));
        Assert.Equal(clients, parsed.SelectMany(h => h.Clients));
    }

    [Fact]
    public void Chunk_MoreThan4096Chunks_LeavesTheRestOutAndSaysHowMany()
    {
        var perChunk = (HandoverCodec.MaxSize - HandoverCodec.MinSize) / 14;

        var chunks = HandoverCodec.Chunk(1, 2, 3, 0x501, Flows((HandoverCodec.MaxChunks * perChunk) + 5, v6Every: 0), Clients(2), out var leftOut);

        // The 5 extra flows and one client are left out; the other client fits in the 9 bytes the
        // last chunk of full IPv4 flows has to spare.
        Assert.Equal(HandoverCodec.MaxChunks, chunks.Count);
        Assert.Equal(6, leftOut);
        Assert.Single(chunks[^1].Clients);
    }

    public static TheoryData<string, Handover> Unencodable => new()
    {
        { "too big for one datagram", WireSamples.Handover with { Flows = Flows(96, v6Every: 0) } },
        { "rule 32", WireSamples.Handover with { Clients = [new HandoverClient(32, IPAddress.Loopback)] } },
        { "mixed families", WireSamples.Handover with { Flows = [new HandoverFlow(0, IPAddress.Loopback, 1, IPAddress.IPv6Loopback, 2)] } },
        { "scoped IPv6", WireSamples.Handover with { Clients = [new HandoverClient(0, IPAddress.Parse("fe80::1%2"))] } },
        { "port 65536", WireSamples.Handover with { Flows = [new HandoverFlow(0, IPAddress.Loopback, 65536, IPAddress.Loopback, 2)] } },
        { "chunk 1 of 1", WireSamples.Handover with { ChunkIndex = 1 } },
        { "4097 chunks", WireSamples.Handover with { ChunkCount = 4097 } },
        { "host 65", WireSamples.Handover with { HostPriority = 65 } },
    };

    [Theory]
    [MemberData(nameof(Unencodable))]
    public void Write_WhatTheParserWouldRefuse_Throws(string what, Handover handover)
    {
        Assert.False(string.IsNullOrEmpty(what));
        Assert.Throws<ArgumentException>(() => HandoverCodec.Write(handover, WireSamples.Key, new byte[4096]));
    }

    private static HandoverFlow[] Flows(int count, int v6Every) =>
    [
        .. Enumerable.Range(0, count).Select(i => v6Every > 0 && i % v6Every == 0
            ? new HandoverFlow(i % 32, IPAddress.Parse($"2001:db8::{i:x}"), 1024 + i, IPAddress.Parse("2001:db8::100"), 53)
            : new HandoverFlow(i % 32, new IPAddress([198, 51, (byte)(i >> 8), (byte)i]), 1024 + (i % 60000), IPAddress.Parse("192.0.2.100"), 53)),
    ];

    private static HandoverClient[] Clients(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new HandoverClient(i % 32, new IPAddress([203, 0, (byte)(i >> 8), (byte)i])))];
}
