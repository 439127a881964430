using System.Runtime.Intrinsics;
using OpenNlb.Core.Allocation;
using Xunit;

namespace OpenNlb.Core.Tests.Allocation;

public sealed class CapacityRendezvousTests
{
    [Theory]
    [InlineData(512)]
    [InlineData(256)]
    [InlineData(0)]
    public void Bands_GiveExactlyTheResultOfOnePassOverAllPairs(int vectorWidth)
    {
        var random = new Random(vectorWidth);
        for (var i = 0; i < 100; i++)
        {
            var ids = RandomClusters.Ids(random, random.Next(2, 65)).Order().Select(id => (byte)id).ToArray();
            var skewed = i % 5 == 0;
            var weights = ids.Select((_, k) => skewed && k > 0 ? 1 : random.Next(1, 101)).ToArray();
            var bucketCount = i % 10 == 0 ? CapacityRendezvous.MaxBucketCount : random.Next(1, CapacityRendezvous.MaxBucketCount + 1);

            var owners = CapacityRendezvous.Allocate(ids, weights, bucketCount, vectorWidth);

            Assert.Equal(OnePass(ids, weights, bucketCount), owners);
        }
    }

    [Fact]
    public void VectorDraws_AreTheScalarDraws()
    {
        var random = new Random(10);
        for (var i = 0; i < 1000; i++)
        {
            var key = RendezvousHash.HostKey(random.Next(1, 65));
            var first = (uint)random.Next(0, 1 << 20);
            var narrow = RendezvousHash.Draw(key, Vector256<uint>.Indices + Vector256.Create(first));
            var wide = RendezvousHash.Draw(key, Vector512<uint>.Indices + Vector512.Create(first));
            for (var lane = 0; lane < Vector512<uint>.Count; lane++)
            {
                var scalar = RendezvousHash.Draw(key, (int)first + lane);
                Assert.Equal(scalar, wide[lane]);
                if (lane < Vector256<uint>.Count)
                {
                    Assert.Equal(scalar, narrow[lane]);
                }
            }
        }
    }

    /// <summary>The definition, written plainly: every pair sorted by (key, bucket, host), then taken in order.</summary>
    private static byte[] OnePass(byte[] ids, int[] weights, int bucketCount)
    {
        // Sorting numbers (key, bucket, slot) sorts the triples: each field has its own bits, and
        // slots are in host id order.
        var pairs = new ulong[ids.Length * bucketCount];
        for (var slot = 0; slot < ids.Length; slot++)
        {
            var hostKey = RendezvousHash.HostKey(ids[slot]);
            var reciprocal = ExponentialRace.Reciprocal(weights[slot]);
            for (var bucket = 0; bucket < bucketCount; bucket++)
            {
                var key = ExponentialRace.Key(RendezvousHash.Draw(hostKey, bucket), reciprocal);
                pairs[(slot * bucketCount) + bucket] = (key << 20) | ((ulong)bucket << 6) | (uint)slot;
            }
        }

        Array.Sort(pairs);
        long total = weights.Sum();
        var floor = weights.Select(w => (int)(bucketCount * (long)w / total)).ToArray();
        var ceiling = weights.Select((w, k) => floor[k] + (bucketCount * (long)w % total == 0 ? 0 : 1)).ToArray();
        var roundUps = bucketCount - floor.Sum();
        var counts = new int[ids.Length];
        var owners = new byte[bucketCount];
        foreach (var pair in pairs)
        {
            var bucket = (int)(pair >> 6) & 0x3FFF;
            var slot = (int)(pair & 63);
            if (owners[bucket] != 0 || counts[slot] >= ceiling[slot] || (counts[slot] >= floor[slot] && roundUps == 0))
            {
                continue;
            }

            if (counts[slot] >= floor[slot])
            {
                roundUps--;
            }

            owners[bucket] = ids[slot];
            counts[slot]++;
        }

        return owners;
    }
}
