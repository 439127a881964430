using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;
using Xunit;

namespace OpenNlb.Core.Tests.Allocation;

public sealed class ClusterMapTests
{
    private static readonly ClusterConfig Cluster =
        RandomClusters.Config(FilteringMode.Multiple, FilteringMode.Single, FilteringMode.Disabled, FilteringMode.Multiple);

    [Fact]
    public void BucketsOf_ListsExactlyTheBucketsTheHostOwns()
    {
        var map = BucketAllocator.Allocate(Cluster, Hosts(1, 2, 3));
        var rule = map.Rules[0];
        var all = new List<int>();
        foreach (var host in new[] { 1, 2, 3 })
        {
            var buckets = map.BucketsOf(host, 0);
            Assert.Equal(rule.CountOf(host), buckets.Length);
            Assert.All(buckets, b => Assert.Equal(host, rule.OwnerOf(b)));
            Assert.Equal(buckets.Order(), buckets);
            all.AddRange(buckets);
        }

        Assert.Equal(Enumerable.Range(0, BucketAllocator.BucketCount), all.Order());
        Assert.Empty(map.BucketsOf(4, 0));
        Assert.Empty(map.BucketsOf(1, 1));
    }

    [Fact]
    public void DiffFrom_ListsEveryBucketThatChangedOwner_AndNoOther()
    {
        var before = BucketAllocator.Allocate(Cluster, Hosts(1, 2, 3, 4));
        var after = BucketAllocator.Allocate(Cluster, Hosts(2, 3, 4, 5));

        var diff = after.DiffFrom(before);

        Assert.Equal((1, 2), (diff.PreviousDefaultHost, diff.DefaultHost));
        Assert.Equal([0, 1, 3], diff.Rules.Select(r => r.RuleIndex));
        foreach (var rule in diff.Rules.Where(r => r.RuleIndex != 1))
        {
            var expected = Enumerable.Range(0, BucketAllocator.BucketCount)
                .Where(b => before.Rules[rule.RuleIndex].OwnerOf(b) != after.Rules[rule.RuleIndex].OwnerOf(b))
                .Select(b => new BucketMove(b, before.Rules[rule.RuleIndex].OwnerOf(b), after.Rules[rule.RuleIndex].OwnerOf(b)));
            Assert.Equal(expected, rule.Moves);
            Assert.Contains(rule.Moves, m => m.From == 1);
            Assert.Contains(rule.Moves, m => m.To == 5);
        }

        var single = diff.Rules.Single(r => r.RuleIndex == 1);
        Assert.Equal((1, 2), (single.PreviousSingleOwner, single.SingleOwner));
        Assert.Empty(single.Moves);
    }

    [Fact]
    public void DiffFrom_TheSameMembership_IsEmpty()
    {
        var map = BucketAllocator.Allocate(Cluster, Hosts(7, 8));
        var diff = BucketAllocator.Allocate(Cluster, Hosts(8, 7)).DiffFrom(map);
        Assert.True(diff.IsEmpty);
        Assert.Equal(0, diff.MovedBuckets);
    }

    [Fact]
    public void DiffFrom_AMapOfAnotherConfiguration_Throws()
    {
        var map = BucketAllocator.Allocate(Cluster, Hosts(1));
        var other = BucketAllocator.Allocate(RandomClusters.Config(FilteringMode.Multiple), [RandomClusters.Host(1, null)]);
        var swapped = BucketAllocator.Allocate(
            RandomClusters.Config(FilteringMode.Single, FilteringMode.Single, FilteringMode.Disabled, FilteringMode.Multiple), Hosts(1));
        Assert.Throws<ArgumentException>(() => map.DiffFrom(other));
        Assert.Throws<ArgumentException>(() => map.DiffFrom(swapped));
    }

    [Fact]
    public void Maps_AreComparedByValue()
    {
        var map = BucketAllocator.Allocate(Cluster, Hosts(1, 2));
        var same = BucketAllocator.Allocate(Cluster, Hosts(2, 1));
        var other = BucketAllocator.Allocate(Cluster, Hosts(1, 3));
        Assert.Equal(map, same);
        Assert.Equal(map.GetHashCode(), same.GetHashCode());
        Assert.NotEqual(map, other);
        Assert.DoesNotContain("16384", map.Rules[1].ToString(), StringComparison.Ordinal);
    }

    private static Member[] Hosts(params int[] ids) =>
        ids.Select(id => new Member(id, [new(null, id), new(null, id), new(null, id), new(null, id)])).ToArray();
}
