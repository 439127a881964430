using System.Net;

namespace OpenNlb.Core.Configuration;

/// <summary>
/// An NLB port rule: which traffic to a VIP it covers and how that traffic is shared out.
/// Traffic to a VIP that no rule covers goes to the default host.
/// </summary>
public sealed record PortRule
{
    /// <summary>A day at most: hosts remember each kept client that long after its last new connection.</summary>
    public const int MaxAffinityTimeoutSeconds = 86_400;

    /// <summary>Unique name; hosts refer to the rule by it for their load weight and handling priority.</summary>
    public required string Name { get; init; }

    /// <summary>The VIP this rule applies to, or null for every VIP of the cluster ("all").</summary>
    public IPAddress? Vip { get; init; }

    public required PortRange Ports { get; init; }

    public Protocol Protocol { get; init; } = Protocol.Both;

    public FilteringMode Filtering { get; init; } = FilteringMode.Multiple;

    public Affinity Affinity { get; init; } = Affinity.Single;

    /// <summary>
    /// NLB's extended affinity: when the rule's buckets move between live hosts, a client (or
    /// client network) keeps going to its old host until it has opened no new connection for this
    /// many seconds. 0: none, a client follows its bucket at once (existing flows still stay).
    /// Only with <c>filtering: multiple</c> and affinity single or network.
    /// </summary>
    public int AffinityTimeoutSeconds { get; init; }
}
