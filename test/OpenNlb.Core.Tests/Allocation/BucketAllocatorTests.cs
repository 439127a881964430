using System.Security.Cryptography;
using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;
using Xunit;

namespace OpenNlb.Core.Tests.Allocation;

public sealed class BucketAllocatorTests
{
    private static readonly ClusterConfig ThreeRules =
        RandomClusters.Config(FilteringMode.Multiple, FilteringMode.Single, FilteringMode.Disabled);

    [Fact]
    public void BucketCount_IsAPowerOfTwo()
    {
        Assert.True(int.IsPow2(BucketAllocator.BucketCount));
    }

    [Fact]
    public void Map_DoesNotDependOnTheOrderOfLiveHosts()
    {
        var random = new Random(6);
        for (var i = 0; i < 100; i++)
        {
            var live = RandomClusters.Ids(random, random.Next(1, 65))
                .Select(id => new Member(id, [
                    new MemberRule(random.Next(2) == 0 ? null : random.Next(0, 101), random.Next(1, 65)),
                    new MemberRule(null, random.Next(1, 65)),
                    new MemberRule(null, 1)]))
                .ToArray();
            var map = BucketAllocator.Allocate(ThreeRules, live);
            var again = BucketAllocator.Allocate(ThreeRules, RandomClusters.Shuffled(random, live));
            Assert.Equal(map, again);
        }
    }

    [Fact]
    public void SingleHostRule_GoesToTheBestHandlingPriority_TiesToTheBestHostPriority()
    {
        Member Host(int id, int handling) => new(id, [new(null, 1), new(null, handling), new(null, 1)]);

        Assert.Equal(7, BucketAllocator.Allocate(ThreeRules, [Host(2, 5), Host(7, 1), Host(4, 3)]).Rules[1].SingleOwner);
        Assert.Equal(4, BucketAllocator.Allocate(ThreeRules, [Host(9, 2), Host(4, 2), Host(6, 2)]).Rules[1].SingleOwner);
    }

    [Fact]
    public void SingleHostRule_AllItsTrafficHasTheOneOwner()
    {
        var map = BucketAllocator.Allocate(ThreeRules, [new Member(5, [new(null, 1), new(null, 1), new(null, 1)])]);
        Assert.Equal(FilteringMode.Single, map.Rules[1].Filtering);
        Assert.Equal(5, map.Rules[1].OwnerOf(0));
        Assert.Equal(5, map.Rules[1].OwnerOf(12345));
        Assert.Equal(0, map.Rules[1].BucketCount);
    }

    [Fact]
    public void DisabledRule_HasNoOwner()
    {
        var map = BucketAllocator.Allocate(ThreeRules, [new Member(1, [new(null, 1), new(null, 1), new(null, 1)])]);
        Assert.Equal(FilteringMode.Disabled, map.Rules[2].Filtering);
        Assert.Equal(0, map.Rules[2].OwnerOf(0));
        Assert.Equal(0, map.Rules[2].BucketCount);
    }

    [Fact]
    public void DefaultHost_IsTheLiveHostWithTheBestHostPriority()
    {
        var cluster = RandomClusters.Config();
        var map = BucketAllocator.Allocate(cluster, [new Member(12, []), new Member(3, []), new Member(40, [])]);
        Assert.Empty(map.Rules);
        Assert.Equal(3, map.DefaultHost);
    }

    [Fact]
    public void RulesWithTheSameWeights_GetTheSameBuckets_OtherWeightsOthers()
    {
        var cluster = RandomClusters.Config(FilteringMode.Multiple, FilteringMode.Multiple, FilteringMode.Multiple);
        Member Host(int id, int? third) => new(id, [new(null, 1), new(50, 1), new(third, 1)]);
        var map = BucketAllocator.Allocate(cluster, [Host(1, 10), Host(2, 90), Host(3, 50)]);
        Assert.Equal(map.Rules[0], map.Rules[1]);
        Assert.NotEqual(map.Rules[0], map.Rules[2]);
        Assert.True(map.Rules[2].CountOf(2) > map.Rules[2].CountOf(1));
    }

    [Fact]
    public void Map_IsPinned_SoThatHostsOfDifferentVersionsAgree()
    {
        // A change here changes which host accepts which flow: hosts running the old and the new
        // version would then both accept, or both drop, some flows. Change it only on purpose.
        var cluster = RandomClusters.Config(FilteringMode.Multiple);
        var live = new[] { RandomClusters.Host(1, null), RandomClusters.Host(2, 30), RandomClusters.Host(5, 70), RandomClusters.Host(64, null) };
        var rule = BucketAllocator.Allocate(cluster, live).Rules[0];
        Assert.Equal([5, 64, 2, 1, 5, 5, 64, 64], rule.Owners[..8].ToArray().Select(b => (int)b));
        Assert.Equal(
            "8190EAA37D673A569B5575F7F6EF3E480548FB361AE2123609FE3045136B9C7A",
            Convert.ToHexString(SHA256.HashData(rule.Owners)));
    }

    [Theory]
    [InlineData(0, "outside 1..64")]
    [InlineData(65, "outside 1..64")]
    public void Allocate_RejectsAHostPriorityOutOfRange(int priority, string message)
    {
        var error = Assert.Throws<ArgumentException>(() =>
            BucketAllocator.Allocate(RandomClusters.Config(), [new Member(priority, [])]));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Allocate_RejectsAHostListedTwice()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            BucketAllocator.Allocate(RandomClusters.Config(), [new Member(4, []), new Member(4, [])]));
        Assert.Contains("listed twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Allocate_RejectsAHostWithTheWrongNumberOfRules()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            BucketAllocator.Allocate(ThreeRules, [RandomClusters.Host(1, null)]));
        Assert.Contains("advertises 1 port rules, the cluster has 3", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, 1, "load weight -1")]
    [InlineData(101, 1, "load weight 101")]
    [InlineData(50, 0, "handling priority 0")]
    [InlineData(50, 65, "handling priority 65")]
    public void Allocate_RejectsRuleSettingsOutOfRange(int weight, int handlingPriority, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => BucketAllocator.Allocate(
            RandomClusters.Config(FilteringMode.Multiple),
            [new Member(1, [new MemberRule(weight, handlingPriority)])]));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("rule0", error.Message, StringComparison.Ordinal);
    }
}
