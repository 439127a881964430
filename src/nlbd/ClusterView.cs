using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.DataPlane;

namespace OpenNlb.Daemon;

/// <summary>This host's share of the cluster map computed from the current members.</summary>
internal static class ClusterView
{
    public static (Ownership Mine, int? DefaultHost, ClusterMap Map) Compute(ClusterConfig cluster, IReadOnlyList<Member> members, int me)
    {
        var map = BucketAllocator.Allocate(cluster, members);
        var rules = cluster.PortRules.Select((rule, i) => rule.Filtering switch
        {
            FilteringMode.Multiple => new RuleOwnership(map.BucketsOf(me, i), HandlesSingle: false),
            FilteringMode.Single => new RuleOwnership([], map.Rules[i].SingleOwner == me),
            _ => RuleOwnership.None,
        }).ToList();
        var defaultHost = map.DefaultHost == 0 ? (int?)null : map.DefaultHost;
        return (new Ownership(rules, defaultHost == me), defaultHost, map);
    }
}
