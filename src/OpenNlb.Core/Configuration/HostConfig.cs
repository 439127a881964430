using System.Net;

namespace OpenNlb.Core.Configuration;

/// <summary>This host's own section of the configuration.</summary>
public sealed record HostConfig
{
    /// <summary>NLB's host priority, which is also the host's id: unique in the cluster, 1 to 64, lower is better.</summary>
    public required int Priority { get; init; }

    /// <summary>The cluster interface (for example eth0).</summary>
    public required string Interface { get; init; }

    /// <summary>The host's dedicated IP on the cluster network, with its prefix length.</summary>
    public required IPNetworkAddress DedicatedIp { get; init; }

    public HostState InitialState { get; init; } = HostState.Started;

    /// <summary>
    /// Whether other hosts of the cluster may send this host commands (over the authenticated
    /// cluster channel). Off by default: a stolen cluster key should not also stop every host.
    /// </summary>
    public bool RemoteControl { get; init; }

    /// <summary>The Prometheus endpoint; not part of the fingerprint, like the rest of this section.</summary>
    public MetricsConfig Metrics { get; init; } = new();

    /// <summary>Per port rule settings of this host, by rule name. A rule not listed uses the defaults.</summary>
    public IReadOnlyDictionary<string, HostPortRule> PortRules { get; init; } =
        new Dictionary<string, HostPortRule>(StringComparer.Ordinal);

    public HostPortRule RuleSettings(string ruleName) =>
        PortRules.TryGetValue(ruleName, out var r) ? r : HostPortRule.Default;
}
