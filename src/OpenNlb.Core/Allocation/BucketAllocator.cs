using OpenNlb.Core.Configuration;

namespace OpenNlb.Core.Allocation;

/// <summary>
/// Computes the cluster map from the configuration and the live hosts alone, so that every host
/// computes the same map without talking about it: no state, no randomness, integer arithmetic,
/// and nothing that depends on the order in which the live hosts are listed.
/// </summary>
public static class BucketAllocator
{
    /// <summary>
    /// Buckets of a multiple-host rule: the kernel hashes a flow into one of these. 16,384 keeps
    /// 64 equal hosts within 0.4% of each other and cuts the buckets that move besides the
    /// necessary ones (see docs/allocation.md); it is also the most a pair key can carry.
    /// </summary>
    public const int BucketCount = CapacityRendezvous.MaxBucketCount;

    public static ClusterMap Allocate(ClusterConfig cluster, IReadOnlyList<Member> live) =>
        Allocate(cluster, live, BucketCount);

    /// <summary>As <see cref="Allocate(ClusterConfig, IReadOnlyList{Member})"/> with another bucket count, for measurements.</summary>
    internal static ClusterMap Allocate(ClusterConfig cluster, IReadOnlyList<Member> live, int bucketCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(bucketCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(bucketCount, CapacityRendezvous.MaxBucketCount);
        var members = Canonical(cluster, live);
        var rules = new RuleAllocation[cluster.PortRules.Count];
        for (var i = 0; i < rules.Length; i++)
        {
            rules[i] = cluster.PortRules[i].Filtering switch
            {
                FilteringMode.Multiple => SameWeightsAsEarlierRule(rules, members, i) ?? MultipleHost(members, i, bucketCount),
                FilteringMode.Single => RuleAllocation.Single(SingleHostOwner(members, i)),
                _ => RuleAllocation.Disabled,
            };
        }

        // Members are in ascending priority, so the first is the best.
        return new ClusterMap(rules, members.Length == 0 ? 0 : members[0].Priority);
    }

    /// <summary>
    /// Rules whose hosts all have the same weights get the same buckets: most clusters use equal
    /// weights on every rule, so this computes one allocation instead of one per rule. (The map is
    /// immutable, so the rules can share it.)
    /// </summary>
    private static RuleAllocation? SameWeightsAsEarlierRule(RuleAllocation[] done, Member[] members, int rule)
    {
        for (var earlier = 0; earlier < rule; earlier++)
        {
            if (done[earlier].Filtering == FilteringMode.Multiple
                && members.All(m => Weight(m.Rules[earlier]) == Weight(m.Rules[rule])))
            {
                return done[earlier];
            }
        }

        return null;
    }

    private static RuleAllocation MultipleHost(Member[] members, int rule, int bucketCount)
    {
        var hostIds = new List<byte>(members.Length);
        var weights = new List<int>(members.Length);
        foreach (var member in members)
        {
            var weight = Weight(member.Rules[rule]);
            if (weight > 0)
            {
                hostIds.Add((byte)member.Priority);
                weights.Add(weight);
            }
        }

        return hostIds.Count == 0
            ? RuleAllocation.Multiple(new byte[bucketCount])
            : RuleAllocation.Multiple(CapacityRendezvous.Allocate(
                hostIds.ToArray(), weights.ToArray(), bucketCount));
    }

    /// <summary>A host that disabled or drains a rule takes none of its new flows, whatever its weight.</summary>
    private static int Weight(MemberRule rule) => rule.Serving ? rule.EffectiveLoadWeight : 0;

    /// <summary>The serving host with the best (lowest) handling priority; ties go to the best host priority.</summary>
    private static int SingleHostOwner(Member[] members, int rule)
    {
        Member? best = null;
        foreach (var member in members)
        {
            if (!member.Rules[rule].Serving)
            {
                continue;
            }

            if (best is null || member.Rules[rule].HandlingPriority < best.Rules[rule].HandlingPriority)
            {
                best = member;
            }
        }

        return best?.Priority ?? 0;
    }

    /// <summary>The live hosts in ascending priority, after checking what every host must agree on.</summary>
    private static Member[] Canonical(ClusterConfig cluster, IReadOnlyList<Member> live)
    {
        var members = live.OrderBy(m => m.Priority).ToArray();
        for (var i = 0; i < members.Length; i++)
        {
            var member = members[i];
            if (member.Priority is < Member.MinPriority or > Member.MaxPriority)
            {
                throw new ArgumentException($"host priority {member.Priority} is outside 1..64", nameof(live));
            }

            if (i > 0 && members[i - 1].Priority == member.Priority)
            {
                throw new ArgumentException($"host priority {member.Priority} is listed twice", nameof(live));
            }

            if (member.Rules.Count != cluster.PortRules.Count)
            {
                throw new ArgumentException(
                    $"host {member.Priority} advertises {member.Rules.Count} port rules, the cluster has {cluster.PortRules.Count}",
                    nameof(live));
            }

            for (var r = 0; r < member.Rules.Count; r++)
            {
                CheckRule(member, r, cluster.PortRules[r].Name);
            }
        }

        return members;
    }

    private static void CheckRule(Member member, int rule, string ruleName)
    {
        var settings = member.Rules[rule];
        if (settings.LoadWeight is < 0 or > MemberRule.MaxLoadWeight)
        {
            throw new ArgumentException(
                $"host {member.Priority}, rule {ruleName}: load weight {settings.LoadWeight} is outside 0..100",
                nameof(member));
        }

        if (settings.HandlingPriority is < Member.MinPriority or > Member.MaxPriority)
        {
            throw new ArgumentException(
                $"host {member.Priority}, rule {ruleName}: handling priority {settings.HandlingPriority} is outside 1..64",
                nameof(member));
        }
    }
}
