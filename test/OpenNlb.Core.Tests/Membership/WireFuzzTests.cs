using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using OpenNlb.Core.Allocation;
using OpenNlb.Core.Convergence;
using OpenNlb.Core.Membership;
using Xunit;

namespace OpenNlb.Core.Tests.Membership;

/// <summary>
/// A million mutated datagrams at both parsers, seeded so a failure can be replayed. Without the
/// key, every mutation must be refused by the fixed-header checks or as forged; with the key (the
/// tag recomputed after mutating) the structural parser is exercised, and whatever it accepts must
/// encode back to exactly the bytes it was given.
/// </summary>
public sealed class WireFuzzTests(ITestOutputHelper output)
{
    private const int Iterations = 1_000_000;

    // What may refuse a datagram whose tag was not recomputed: nothing past the fixed header.
    private static readonly HashSet<HeartbeatError> BeforeTheTag =
    [
        HeartbeatError.Truncated, HeartbeatError.Oversized, HeartbeatError.BadMagic,
        HeartbeatError.UnsupportedVersion, HeartbeatError.UnknownType, HeartbeatError.LengthMismatch,
        HeartbeatError.Forged,
    ];

    private enum Mutation
    {
        FlipBits,
        ChangeBytes,
        Truncate,
        Extend,
        Garbage,
        GarbageWithHeader,
        AuthenticChangeBytes,
        AuthenticResize,
    }

    [Fact]
    public void BothParsers_AMillionMutatedDatagrams_NeverThrow_AndAcceptOnlyWhatReencodesToTheSameBytes()
    {
        var random = new Random(20250601);
        var heartbeats = HeartbeatSeeds(random);
        var handovers = HandoverSeeds(random);
        var buffer = new byte[HeartbeatCodec.MaxSize + 128];
        var reencoded = new byte[HeartbeatCodec.MaxSize];
        var authentic = new int[2, 32];
        var unauthentic = new int[2, 32];
        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;

        for (var i = 0; i < Iterations; i++)
        {
            var isHeartbeat = (i & 1) == 0;
            var seeds = isHeartbeat ? heartbeats : handovers;
            var seed = seeds[random.Next(seeds.Length)];
            var mutation = (Mutation)random.Next(8);
            var length = Mutate(random, mutation, seed, buffer, isHeartbeat ? HeartbeatCodec.MaxSize : HandoverCodec.MaxSize);
            var datagram = buffer.AsSpan(0, length);
            var isAuthentic = mutation is Mutation.AuthenticChangeBytes or Mutation.AuthenticResize;
            var unchanged = datagram.SequenceEqual(seed);

            HeartbeatError error;
            try
            {
                error = isHeartbeat ? ParseHeartbeat(datagram, reencoded) : ParseHandover(datagram, reencoded);

                // The other parser must refuse it too, and not by throwing.
                var other = isHeartbeat ? HandoverCodec.TryParse(datagram, WireSamples.Key, out _) : HeartbeatCodec.TryParse(datagram, WireSamples.Key, out _);
                if (other == HeartbeatError.None)
                {
                    Assert.Fail($"iteration {i} ({mutation}): both parsers accepted {Convert.ToHexStringLower(datagram)}");
                }
            }
            catch (Exception e)
            {
                Assert.Fail($"iteration {i} ({mutation}) threw on {Convert.ToHexStringLower(datagram)}: {e}");
                throw;
            }

            // Messages are built only on failure: formatting a million of them would be most of the run.
            if (!isAuthentic && !unchanged && !BeforeTheTag.Contains(error))
            {
                Assert.Fail($"iteration {i} ({mutation}): {error} without the key on {Convert.ToHexStringLower(datagram)}");
            }

            (isAuthentic ? authentic : unauthentic)[isHeartbeat ? 0 : 1, (int)error]++;
        }

        clock.Stop();
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        output.WriteLine($"{Iterations:N0} datagrams in {clock.Elapsed.TotalSeconds:0.00} s ({cpu.TotalSeconds:0.00} s of CPU, all threads)");
        output.WriteLine($"heartbeat, authentic:   {Describe(authentic, 0)}");
        output.WriteLine($"heartbeat, without key: {Describe(unauthentic, 0)}");
        output.WriteLine($"hand-over, authentic:   {Describe(authentic, 1)}");
        output.WriteLine($"hand-over, without key: {Describe(unauthentic, 1)}");

        // The run means something only if it reached every check of both structural parsers and
        // also produced mutations they accept.
        foreach (var expected in new[]
        {
            HeartbeatError.None, HeartbeatError.BadHostPriority, HeartbeatError.BadState, HeartbeatError.BadMemberRule,
            HeartbeatError.BadProposal, HeartbeatError.BadHandover, HeartbeatError.LengthMismatch,
        })
        {
            Assert.True(authentic[0, (int)expected] > 0, $"no authentic heartbeat mutation gave {expected}");
        }

        foreach (var expected in new[]
        {
            HeartbeatError.None, HeartbeatError.BadHostPriority, HeartbeatError.BadHandover, HeartbeatError.BadAddress,
            HeartbeatError.BadRuleIndex, HeartbeatError.LengthMismatch,
        })
        {
            Assert.True(authentic[1, (int)expected] > 0, $"no authentic hand-over mutation gave {expected}");
        }

        foreach (var expected in BeforeTheTag)
        {
            Assert.True(unauthentic[0, (int)expected] > 0 && unauthentic[1, (int)expected] > 0, $"no mutation without the key gave {expected}");
        }
    }

    private static HeartbeatError ParseHeartbeat(ReadOnlySpan<byte> datagram, byte[] reencoded)
    {
        var error = HeartbeatCodec.TryParse(datagram, WireSamples.Key, out var hb);
        if ((error == HeartbeatError.None) != (hb is not null))
        {
            Assert.Fail($"{error} with a heartbeat {hb}");
        }

        if (hb is not null && !reencoded.AsSpan(0, HeartbeatCodec.Write(hb, WireSamples.Key, reencoded)).SequenceEqual(datagram))
        {
            Assert.Fail($"re-encoded differently: {Convert.ToHexStringLower(datagram)}");
        }

        return error;
    }

    private static HeartbeatError ParseHandover(ReadOnlySpan<byte> datagram, byte[] reencoded)
    {
        var error = HandoverCodec.TryParse(datagram, WireSamples.Key, out var handover);
        if ((error == HeartbeatError.None) != (handover is not null))
        {
            Assert.Fail($"{error} with a hand-over {handover}");
        }

        if (handover is not null && !reencoded.AsSpan(0, HandoverCodec.Write(handover, WireSamples.Key, reencoded)).SequenceEqual(datagram))
        {
            Assert.Fail($"re-encoded differently: {Convert.ToHexStringLower(datagram)}");
        }

        return error;
    }

    /// <summary>Writes a mutation of <paramref name="seed"/> into the buffer; returns its length.</summary>
    private static int Mutate(Random random, Mutation mutation, byte[] seed, byte[] buffer, int maxSize)
    {
        seed.CopyTo(buffer, 0);
        var length = seed.Length;
        switch (mutation)
        {
            case Mutation.FlipBits:
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    buffer[random.Next(length)] ^= (byte)(1 << random.Next(8));
                }

                return length;
            case Mutation.ChangeBytes:
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    buffer[random.Next(length)] = (byte)random.Next(256);
                }

                return length;
            case Mutation.Truncate:
                return random.Next(length);
            case Mutation.Extend:
                var extra = Math.Min(random.Next(1, 65), buffer.Length - length);
                random.NextBytes(buffer.AsSpan(length, extra));
                return length + extra;
            case Mutation.Garbage:
                length = GarbageLength(random, seed.Length, maxSize);
                random.NextBytes(buffer.AsSpan(0, length));
                return length;
            case Mutation.GarbageWithHeader:
                // Passes the fixed-header checks most of the time: only the tag can refuse it.
                length = Math.Max(WireFormat.FixedHeaderSize, GarbageLength(random, seed.Length, maxSize));
                random.NextBytes(buffer.AsSpan(0, length));
                BinaryPrimitives.WriteUInt32BigEndian(buffer, WireFormat.Magic);
                buffer[4] = WireFormat.Version;
                buffer[5] = (byte)random.Next(1, 3);
                BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(6), (ushort)length);
                return length;
            case Mutation.AuthenticChangeBytes:
                for (var n = random.Next(1, 4); n > 0; n--)
                {
                    buffer[random.Next(WireFormat.FixedHeaderSize, length - WireFormat.TagSize)] = Interesting(random);
                }

                WireSamples.ResealOnly(buffer.AsSpan(0, length));
                return length;
            default:
                // Cut or grow what is before the tag, then set the length and the tag to match.
                var body = length - WireFormat.TagSize;
                var newBody = random.Next(2) == 0
                    ? random.Next(WireFormat.HeaderSize, body)
                    : Math.Min(body + random.Next(1, 40), maxSize - WireFormat.TagSize);
                if (newBody > body)
                {
                    for (var at = body; at < newBody; at++)
                    {
                        buffer[at] = Interesting(random);
                    }
                }

                WireSamples.Reseal(buffer.AsSpan(0, newBody + WireFormat.TagSize));
                return newBody + WireFormat.TagSize;
        }
    }

    /// <summary>
    /// Mostly up to twice the seed's length; one time in 16 anything up to past the largest
    /// datagram, or close around that limit, for the size checks. Always the full range would
    /// spend the run drawing kilobytes of noise.
    /// </summary>
    private static int GarbageLength(Random random, int seedLength, int maxSize) => random.Next(32) switch
    {
        0 => random.Next(maxSize + 17),
        1 => random.Next(maxSize - 16, maxSize + 17),
        _ => random.Next((2 * seedLength) + 1),
    };

    /// <summary>Half random bytes, half values at the edges of the fields' ranges.</summary>
    private static byte Interesting(Random random) =>
        random.Next(2) == 0 ? (byte)random.Next(256) : Edges[random.Next(Edges.Length)];

    private static readonly byte[] Edges = [0, 1, 2, 3, 4, 5, 6, 31, 32, 33, 63, 64, 65, 100, 101, 0x10, 0xFE, 0xFF];

    private static byte[][] HeartbeatSeeds(Random random)
    {
        var seeds = new List<byte[]>
        {
            Convert.FromHexString(WireSamples.HeartbeatHex),
            WireSamples.Encode(new Heartbeat(1, 2, 1, MemberState.Started, 3, 4, [])),
        };

        while (seeds.Count < 24)
        {
            var ruleCount = random.Next(0, 9);
            var rules = Rules(random, ruleCount);
            var members = Enumerable.Range(1, 64).Where(_ => random.Next(8) == 0).Select(p => new Member(p, Rules(random, ruleCount))).ToArray();
            var epoch = members.Length == 0 && random.Next(2) == 0 ? 0 : Proposal.MakeEpoch((ulong)random.NextInt64(), random.Next(1, 65));
            seeds.Add(WireSamples.Encode(new Heartbeat(
                (uint)random.Next(), (ulong)random.NextInt64(), random.Next(1, 65), (MemberState)random.Next(1, 5),
                (ulong)random.NextInt64(), (ulong)random.NextInt64(), rules,
                View: (ulong)random.NextInt64(),
                Adopted: new Proposal(epoch, members),
                HandoverEpoch: (ulong)random.NextInt64(),
                HandoverChunks: random.Next(3) == 0 ? Heartbeat.HandoverPending : random.Next(0, HandoverCodec.MaxChunks + 1),
                HandoverAcks: (ulong)random.NextInt64())));
        }

        return [.. seeds];
    }

    private static MemberRule[] Rules(Random random, int count) =>
    [
        .. Enumerable.Range(0, count).Select(_ => new MemberRule(
            random.Next(4) == 0 ? null : random.Next(0, 101), random.Next(1, 65), (RuleState)random.Next(1, 4))),
    ];

    private static byte[][] HandoverSeeds(Random random)
    {
        var seeds = new List<byte[]> { Convert.FromHexString(WireSamples.HandoverHex) };
        while (seeds.Count < 24)
        {
            var flows = Enumerable.Range(0, random.Next(0, 40)).Select(_ =>
            {
                var v6 = random.Next(3) == 0;
                return new HandoverFlow(random.Next(32), Address(random, v6), random.Next(65536), Address(random, v6), random.Next(65536));
            }).ToArray();
            var clients = Enumerable.Range(0, random.Next(flows.Length == 0 ? 1 : 0, 20))
                .Select(_ => new HandoverClient(random.Next(32), Address(random, random.Next(3) == 0)))
                .ToArray();
            var chunks = HandoverCodec.Chunk((uint)random.Next(), random.Next(1, 65), (ulong)random.NextInt64(), (ulong)random.NextInt64(), flows, clients, out _);
            seeds.AddRange(chunks.Select(c => WireSamples.Encode(c with { Sequence = (ulong)random.NextInt64() })));
        }

        return [.. seeds];
    }

    private static IPAddress Address(Random random, bool v6)
    {
        var bytes = new byte[v6 ? 16 : 4];
        random.NextBytes(bytes);
        return new IPAddress(bytes);
    }

    private static string Describe(int[,] counts, int parser) =>
        string.Join(", ", Enum.GetValues<HeartbeatError>().Where(e => counts[parser, (int)e] > 0).Select(e => $"{e} {counts[parser, (int)e]}"));
}
