namespace OpenNlb.Core.Allocation;

/// <summary>
/// What a live host advertises for one port rule. A null load weight means "equal" (NLB's equal
/// load distribution, counted as <see cref="EqualLoadWeight"/>); 0 means the host takes none of
/// the rule's multiple-host traffic. The handling priority (1..64, lower is better) picks the owner
/// of a single-host rule. A rule that is not <see cref="RuleState.Enabled"/> on a host gives that
/// host no share of it, whatever its weight or handling priority.
/// </summary>
public readonly record struct MemberRule(int? LoadWeight, int HandlingPriority, RuleState State = RuleState.Enabled)
{
    /// <summary>The weight of a host that asks for an equal share (NLB's default load weight).</summary>
    public const int EqualLoadWeight = 50;

    public const int MaxLoadWeight = 100;

    /// <summary>The load weight with "equal" resolved to <see cref="EqualLoadWeight"/>.</summary>
    public int EffectiveLoadWeight => LoadWeight ?? EqualLoadWeight;

    /// <summary>Whether the host takes new flows of this rule at all.</summary>
    public bool Serving => State == RuleState.Enabled;
}
