namespace OpenNlb.Core.DataPlane;

/// <summary>
/// This host's part of one port rule. For a multiple-host rule, the sorted buckets whose new flows
/// it accepts (<see cref="Buckets"/>) and the sorted buckets it no longer owns but whose existing
/// flows (and extended-affinity clients) it keeps serving (<see cref="Kept"/>); the two never
/// overlap. For a single-host rule, the same two things for the whole rule. A disabled rule owns
/// and keeps nothing.
/// </summary>
public sealed record RuleOwnership(IReadOnlyList<int> Buckets, bool HandlesSingle, IReadOnlyList<int>? Kept = null, bool KeepsSingle = false)
{
    public static RuleOwnership None { get; } = new([], HandlesSingle: false);

    public IReadOnlyList<int> KeptBuckets => Kept ?? [];

    public bool Equals(RuleOwnership? other) =>
        other is not null && HandlesSingle == other.HandlesSingle && KeepsSingle == other.KeepsSingle
        && Buckets.SequenceEqual(other.Buckets) && KeptBuckets.SequenceEqual(other.KeptBuckets);

    public override int GetHashCode() => HashCode.Combine(HandlesSingle, Buckets.Count, KeptBuckets.Count);
}
