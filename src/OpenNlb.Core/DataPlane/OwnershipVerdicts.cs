namespace OpenNlb.Core.DataPlane;

/// <summary>
/// What an ownership means for each object of the ruleset, in one place for the full ruleset and
/// for the updates, so that an update always leads to what a full render would have written.
/// </summary>
internal static class OwnershipVerdicts
{
    /// <summary>-300, multiple-host rule: bucket -> accept for every bucket owned or kept; the rest is dropped before conntrack.</summary>
    public static IReadOnlyDictionary<int, string> Filter(RuleOwnership rule) =>
        rule.Buckets.Concat(rule.KeptBuckets).Distinct().ToDictionary(b => b, _ => "accept");

    /// <summary>
    /// -150, multiple-host rule: kept bucket -> the chain that admits its new flows (this host's
    /// affinity clients), or drop for a rule without extended affinity. Only kept buckets are
    /// listed: an owned bucket is one still in the filter map (<see cref="Filter"/>) and not kept,
    /// which -150 looks up again rather than assume, since a packet can pass -300 under one
    /// ruleset generation and reach -150 under the next. Claims and releases then touch one map
    /// each, so a claim costs no more than a filter without hand-over.
    /// </summary>
    public static IReadOnlyDictionary<int, string> Kept(DataPlaneSpec spec, int index, RuleOwnership rule)
    {
        var verdict = KeptVerdict(spec, index);
        return rule.KeptBuckets.Except(rule.Buckets).Distinct().ToDictionary(b => b, _ => verdict);
    }

    /// <summary>The one verdict every kept bucket of a rule carries.</summary>
    public static string KeptVerdict(DataPlaneSpec spec, int index) =>
        spec.HasClientSets(index) ? $"goto {NftNames.KeepChain(index)}" : "drop";

    /// <summary>-300, single-host rule: its traffic passes to conntrack while this host handles or keeps it, counted either way.</summary>
    public static string SingleFilter(int index, RuleOwnership rule) =>
        Counted(rule.HandlesSingle || rule.KeepsSingle, NftNames.AcceptedCounter(index), NftNames.DroppedCounter(index));

    /// <summary>-150, single-host rule: new flows only where this host handles it (no affinity: a kept rule takes none).</summary>
    public static string SingleAdmit(int index, RuleOwnership rule) =>
        rule.HandlesSingle ? $"goto {NftNames.OwnChain(index)}" : "drop";

    public static string UncoveredFilter(Ownership ownership) =>
        Counted(ownership.IsDefaultHost || ownership.KeepsDefault, NftNames.UncoveredAccepted, NftNames.UncoveredDropped);

    public static string UncoveredAdmit(Ownership ownership) =>
        ownership.IsDefaultHost ? $"goto {NftNames.UncoveredOwn}" : "drop";

    /// <summary>
    /// A -300 verdict that also counts the packet in the named counter of that verdict
    /// (docs/metrics.md): one counter statement, the cheapest way to tell accepted from dropped.
    /// </summary>
    public static string Counted(bool accept, string accepted, string dropped) =>
        accept ? NftText.Count(accepted, "accept") : NftText.Count(dropped, "drop");
}
