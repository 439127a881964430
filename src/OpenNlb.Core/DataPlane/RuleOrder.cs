using OpenNlb.Core.Configuration;

namespace OpenNlb.Core.DataPlane;

/// <summary>
/// The order in which port rules are tried: rules for one VIP before rules for all VIPs (as in NLB),
/// each group in configuration order. The owner query walks it; the renderer implements the same
/// precedence with two dispatch maps (one VIP's rules looked up first), and since the validator
/// forbids overlaps within a group, order inside a group never decides anything.
/// </summary>
public static class RuleOrder
{
    public static IEnumerable<(PortRule Rule, int Index)> Evaluation(ClusterConfig cluster) =>
        cluster.PortRules.Select((rule, index) => (rule, index))
            .OrderBy(r => r.rule.Vip is null ? 1 : 0)
            .ThenBy(r => r.index);
}
