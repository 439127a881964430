using System.Net;
using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;

namespace OpenNlb.Core.Tests.Allocation;

/// <summary>Seeded random clusters for the property tests: the same cases on every run.</summary>
internal static class RandomClusters
{
    public static ClusterConfig Config(params FilteringMode[] rules) => new()
    {
        Name = "lab",
        Vips = [IPAddress.Parse("192.0.2.100")],
        PortRules = rules
            .Select((filtering, i) => new PortRule
            {
                Name = $"rule{i}",
                Ports = new PortRange(1000 + i, 1000 + i),
                Filtering = filtering,
            })
            .ToArray(),
    };

    /// <summary>A cluster with one multiple-host rule: 2..64 hosts, equal weights or random ones.</summary>
    public static Member[] Hosts(Random random, int minHosts = 2, int maxHosts = 64, bool equal = false) =>
        Ids(random, random.Next(minHosts, maxHosts + 1))
            .Select(id => Host(id, equal ? null : random.Next(1, MemberRule.MaxLoadWeight + 1)))
            .ToArray();

    public static Member Host(int id, int? weight, int handlingPriority = 1) =>
        new(id, [new MemberRule(weight, handlingPriority)]);

    /// <summary><paramref name="count"/> distinct host ids out of 1..64, in random order.</summary>
    public static int[] Ids(Random random, int count)
    {
        var ids = Enumerable.Range(Member.MinPriority, Member.MaxPriority).ToArray();
        random.Shuffle(ids);
        return ids[..count];
    }

    public static T[] Shuffled<T>(Random random, IEnumerable<T> items)
    {
        var array = items.ToArray();
        random.Shuffle(array);
        return array;
    }
}
