namespace OpenNlb.Core.Allocation;

/// <summary>
/// The difference between two maps of one cluster configuration: only the rules that changed, so
/// that the daemon rewrites only the buckets that changed owner.
/// </summary>
public sealed record ClusterMapDiff(
    IReadOnlyList<RuleDiff> Rules,
    int PreviousDefaultHost,
    int DefaultHost)
{
    public bool IsEmpty => Rules.Count == 0 && PreviousDefaultHost == DefaultHost;

    /// <summary>Buckets that changed owner, over all rules.</summary>
    public int MovedBuckets => Rules.Sum(r => r.Moves.Count);
}
