using System.Text.Json.Serialization;

namespace OpenNlb.Core.Query;

/// <summary>
/// `nlb owner`'s answer, the same whether computed offline from a configuration and a list of
/// members or asked of a running nlbd (then <see cref="ThisHost"/> says what that host does with
/// the flow). <see cref="Why"/> is the explanation in sentences, most general first.
/// </summary>
public sealed record OwnerReport
{
    public required string Client { get; init; }

    /// <summary>0 when not given: it matters only under affinity none.</summary>
    public int ClientPort { get; init; }

    public required string Vip { get; init; }

    public required int Port { get; init; }

    /// <summary>tcp or udp.</summary>
    public required string Protocol { get; init; }

    /// <summary>The port rule the flow falls under; null when none covers it (the default host's).</summary>
    public string? Rule { get; init; }

    /// <summary>The rule's filtering (multiple, single, disabled).</summary>
    public string? Filtering { get; init; }

    /// <summary>The rule's affinity (none, single, network).</summary>
    public string? Affinity { get; init; }

    /// <summary>The flow's bucket, for a multiple-host rule.</summary>
    public int? Bucket { get; init; }

    /// <summary>The kernel's hash expression for the bucket.</summary>
    public string? Hash { get; init; }

    /// <summary>The host the map gives the flow to; null when none (no member may take it, a disabled rule, not a VIP). Always written.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? Owner { get; init; }

    /// <summary>The map's epoch (counter &lt;&lt; 8 | issuing host), when the answer comes from a running host.</summary>
    public ulong? Epoch { get; init; }

    /// <summary>The hosts the map is computed for.</summary>
    public IReadOnlyList<int> Members { get; init; } = [];

    /// <summary>Why the rule (or the default host) decides: one sentence.</summary>
    public required string Reason { get; init; }

    /// <summary>What the asked host does with the flow; null for an offline answer.</summary>
    public LocalVerdict? ThisHost { get; init; }

    public IReadOnlyList<string> Why { get; init; } = [];
}

/// <param name="Host">The host that answered.</param>
/// <param name="State">Its state, as query shows it.</param>
/// <param name="Role">owns (takes the flow's new flows), keeps (serves the flows it had there: hand-over), or none.</param>
/// <param name="RuleState">Its state for the flow's rule (enabled, disabled, draining); null when no rule covers the flow.</param>
/// <param name="ForeignFlow">The flow is in its set of UDP flows another host keeps: it drops them.</param>
/// <param name="ForeignClient">The client is in its set of extended-affinity clients another host keeps.</param>
/// <param name="AffinityClient">The client is one of its own extended-affinity clients.</param>
/// <param name="Connection">Its conntrack state for the flow ("ESTABLISHED", "udp"), null (written) when it has no entry or it could not be read.</param>
public sealed record LocalVerdict(
    int Host,
    string State,
    string Role,
    string? RuleState,
    bool ForeignFlow,
    bool ForeignClient,
    bool AffinityClient,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Connection);
