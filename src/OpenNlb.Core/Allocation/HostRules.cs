using OpenNlb.Core.Configuration;

namespace OpenNlb.Core.Allocation;

/// <summary>What a host advertises for each port rule, from its own section of the configuration.</summary>
public static class HostRules
{
    /// <summary>Per rule, in cluster order: the host's load weight (null = equal) and handling priority (default: its host priority).</summary>
    public static IReadOnlyList<MemberRule> Of(NlbConfig config) => config.Cluster.PortRules
        .Select(r => config.Host.RuleSettings(r.Name))
        .Select(s => new MemberRule(s.LoadWeight, s.HandlingPriority ?? config.Host.Priority))
        .ToArray();

    public static Member MemberOf(NlbConfig config) => new(config.Host.Priority, Of(config));
}
