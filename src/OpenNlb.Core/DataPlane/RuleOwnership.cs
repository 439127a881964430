namespace OpenNlb.Core.DataPlane;

/// <summary>
/// This host's share of one port rule. For a multiple-host rule, the sorted buckets it owns; for a
/// single-host rule, whether it is the handling host. A disabled rule owns nothing.
/// </summary>
public sealed record RuleOwnership(IReadOnlyList<int> Buckets, bool HandlesSingle)
{
    public static RuleOwnership None { get; } = new([], HandlesSingle: false);

    public bool Equals(RuleOwnership? other) =>
        other is not null && HandlesSingle == other.HandlesSingle && Buckets.SequenceEqual(other.Buckets);

    public override int GetHashCode() => HashCode.Combine(HandlesSingle, Buckets.Count);
}
