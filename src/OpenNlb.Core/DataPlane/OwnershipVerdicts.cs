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
    /// -150, multiple-host rule: bucket -> the chain that admits its new flows. Owned buckets are
    /// listed too, rather than taken as "whatever is not kept": a packet can pass -300 under one
    /// ruleset generation and reach -150 under the next, and a bucket that went from kept to
    /// another host's in between must not be taken for owned. Kept buckets of a rule without
    /// extended affinity are absent: their new flows are dropped.
    /// </summary>
    public static IReadOnlyDictionary<int, string> Admit(DataPlaneSpec spec, int index, RuleOwnership rule)
    {
        var verdicts = new Dictionary<int, string>();
        if (spec.HasClientSets(index))
        {
            foreach (var b in rule.KeptBuckets)
            {
                verdicts[b] = $"goto {NftNames.KeepChain(index)}";
            }
        }

        foreach (var b in rule.Buckets)
        {
            verdicts[b] = $"goto {NftNames.OwnChain(index)}";
        }

        return verdicts;
    }

    /// <summary>-300, single-host rule: its traffic passes to conntrack while this host handles or keeps it.</summary>
    public static string SingleFilter(RuleOwnership rule) => NftText.Verdict(rule.HandlesSingle || rule.KeepsSingle);

    /// <summary>-150, single-host rule: new flows only where this host handles it (no affinity: a kept rule takes none).</summary>
    public static string SingleAdmit(int index, RuleOwnership rule) =>
        rule.HandlesSingle ? $"goto {NftNames.OwnChain(index)}" : "drop";

    public static string UncoveredFilter(Ownership ownership) => NftText.Verdict(ownership.IsDefaultHost || ownership.KeepsDefault);

    public static string UncoveredAdmit(Ownership ownership) =>
        ownership.IsDefaultHost ? $"goto {NftNames.UncoveredOwn}" : "drop";
}
