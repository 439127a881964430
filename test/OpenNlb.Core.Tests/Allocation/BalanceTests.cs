using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;
using Xunit;

namespace OpenNlb.Core.Tests.Allocation;

public sealed class BalanceTests
{
    private static readonly ClusterConfig Cluster = RandomClusters.Config(FilteringMode.Multiple, FilteringMode.Multiple);

    [Fact]
    public void EveryBucket_HasOneOwner_WithinOneBucketOfItsWeightedShare()
    {
        var random = new Random(4);
        for (var i = 0; i < 250; i++)
        {
            var live = MixedHosts(random);
            var map = BucketAllocator.Allocate(Cluster, live);
            CheckBalance(map, live, BucketAllocator.BucketCount, $"case {i}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100)]
    [InlineData(1000)]
    [InlineData(2048)]
    [InlineData(4095)]
    public void OtherBucketCounts_KeepEveryHostWithinOneBucketOfItsShare(int bucketCount)
    {
        var random = new Random(bucketCount);
        for (var i = 0; i < 300; i++)
        {
            var live = MixedHosts(random);
            var map = BucketAllocator.Allocate(Cluster, live, bucketCount);
            CheckBalance(map, live, bucketCount, $"{bucketCount} buckets, case {i}");
        }
    }

    [Fact]
    public void ThirtyTwoEqualHosts_AreWithinTwoPercentOfEachOther()
    {
        var random = new Random(5);
        for (var i = 0; i < 20; i++)
        {
            var live = RandomClusters.Ids(random, 32).Select(id => RandomClusters.Host(id, null)).ToArray();
            var rule = BucketAllocator.Allocate(RandomClusters.Config(FilteringMode.Multiple), live).Rules[0];
            var counts = live.Select(m => rule.CountOf(m.Priority)).ToArray();
            Assert.True(counts.Max() <= 1.02 * counts.Min(), $"case {i}: {counts.Min()}..{counts.Max()}");
        }
    }

    [Fact]
    public void AllWeightsZero_NoHostOwnsAnyBucket()
    {
        var live = new[] { RandomClusters.Host(3, 0), RandomClusters.Host(9, 0) };
        var rule = BucketAllocator.Allocate(RandomClusters.Config(FilteringMode.Multiple), live).Rules[0];
        Assert.Equal(BucketAllocator.BucketCount, rule.BucketCount);
        Assert.True(rule.Owners.IndexOfAnyExcept((byte)0) < 0);
    }

    [Fact]
    public void NoLiveHost_NoBucketHasAnOwnerAndThereIsNoDefaultHost()
    {
        var map = BucketAllocator.Allocate(RandomClusters.Config(FilteringMode.Multiple, FilteringMode.Single), []);
        Assert.True(map.Rules[0].Owners.IndexOfAnyExcept((byte)0) < 0);
        Assert.Equal(0, map.Rules[1].SingleOwner);
        Assert.Equal(0, map.DefaultHost);
    }

    /// <summary>1..64 hosts; each weight equal, 0 or 1..100 per rule, so that some rules have no eligible host.</summary>
    private static Member[] MixedHosts(Random random)
    {
        int? Weight() => random.Next(4) switch
        {
            0 => null,
            1 => random.Next(3) == 0 ? 0 : random.Next(1, 101),
            _ => random.Next(1, 101),
        };

        return RandomClusters.Ids(random, random.Next(1, 65))
            .Select(id => new Member(id, [new MemberRule(Weight(), 1), new MemberRule(Weight(), 1)]))
            .ToArray();
    }

    private static void CheckBalance(ClusterMap map, Member[] live, int bucketCount, string where)
    {
        for (var r = 0; r < Cluster.PortRules.Count; r++)
        {
            var rule = map.Rules[r];
            Assert.Equal(bucketCount, rule.BucketCount);
            var weights = live.ToDictionary(m => m.Priority, m => m.Rules[r].EffectiveLoadWeight);
            long total = weights.Values.Sum();
            var counts = new int[Member.MaxPriority + 1];
            foreach (var owner in rule.Owners)
            {
                if (total == 0)
                {
                    Assert.True(owner == 0, $"{where}, rule {r}: all weights are 0 but host {owner} owns a bucket");
                    continue;
                }

                Assert.True(weights.TryGetValue(owner, out var w) && w > 0, $"{where}, rule {r}: owner {owner} is not a live host with weight");
                counts[owner]++;
            }

            if (total == 0)
            {
                continue;
            }

            foreach (var (host, weight) in weights)
            {
                // |count - bucketCount * w / total| < 1, in integers.
                var error = Math.Abs(((long)counts[host] * total) - ((long)bucketCount * weight));
                Assert.True(error < total, $"{where}, rule {r}: host {host} owns {counts[host]}, share {(double)bucketCount * weight / total:F2}");
            }
        }
    }
}
