namespace OpenNlb.Core.Allocation;

/// <summary>
/// What changed in one port rule between two maps: the buckets of a multiple-host rule that
/// changed owner, or the owner of a single-host rule.
/// </summary>
public sealed record RuleDiff(
    int RuleIndex,
    IReadOnlyList<BucketMove> Moves,
    int PreviousSingleOwner,
    int SingleOwner);
