using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;

namespace OpenNlb.Core.Tests.Allocation;

/// <summary>One host joins or leaves a random cluster; how many buckets of the multiple-host rule move.</summary>
internal static class MembershipChanges
{
    private static readonly ClusterConfig Cluster = RandomClusters.Config(FilteringMode.Multiple);

    public static Movement Leave(Random random, bool equal, int bucketCount, int minHosts = 2, int maxHosts = 64)
    {
        var before = RandomClusters.Hosts(random, minHosts, maxHosts, equal);
        var leaver = random.Next(before.Length);
        var after = before.Where((_, i) => i != leaver).ToArray();
        return Between(before, after, bucketCount);
    }

    public static Movement Join(Random random, bool equal, int bucketCount, int minHosts = 2, int maxHosts = 64)
    {
        var after = RandomClusters.Hosts(random, minHosts, maxHosts, equal);
        var joiner = random.Next(after.Length);
        var before = after.Where((_, i) => i != joiner).ToArray();
        return Between(before, after, bucketCount);
    }

    public static Movement Between(Member[] before, Member[] after, int bucketCount) => Movement.Between(
        BucketAllocator.Allocate(Cluster, before, bucketCount).Rules[0],
        BucketAllocator.Allocate(Cluster, after, bucketCount).Rules[0]);
}
