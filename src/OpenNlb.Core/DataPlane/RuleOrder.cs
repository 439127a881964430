using OpenNlb.Core.Configuration;

namespace OpenNlb.Core.DataPlane;

/// <summary>
/// The order in which port rules are tried, shared by the ruleset renderer and the owner query so
/// that the kernel and the explanation cannot disagree: rules for one VIP before rules for all VIPs
/// (as in NLB), each group in configuration order.
/// </summary>
public static class RuleOrder
{
    public static IEnumerable<(PortRule Rule, int Index)> Evaluation(ClusterConfig cluster) =>
        cluster.PortRules.Select((rule, index) => (rule, index))
            .OrderBy(r => r.rule.Vip is null ? 1 : 0)
            .ThenBy(r => r.index);
}
