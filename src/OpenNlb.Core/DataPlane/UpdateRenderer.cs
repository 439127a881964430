using System.Text;
using OpenNlb.Core.Configuration;
using static OpenNlb.Core.DataPlane.NftText;

namespace OpenNlb.Core.DataPlane;

/// <summary>
/// The smallest transaction from one ownership to another: map elements that differ, and the
/// one-rule chains whose verdict differs. Verdicts come from <see cref="OwnershipVerdicts"/>, as in
/// the full ruleset, so the result is what a full render of the new ownership would hold.
/// </summary>
internal static class UpdateRenderer
{
    public static string Render(DataPlaneSpec spec, Ownership from, Ownership to)
    {
        var s = new StringBuilder();
        var rules = spec.Cluster.PortRules;
        for (var i = 0; i < rules.Count; i++)
        {
            var (old, now) = (from.Rules[i], to.Rules[i]);
            if (old.Equals(now))
            {
                // Cheap to compare, dear to diff: the verdict maps of a rule hold 16,384 entries.
                continue;
            }

            if (rules[i].Filtering == FilteringMode.Multiple)
            {
                // The same elements as OwnershipVerdicts.Filter and .Kept would give, diffed with two
                // bit sets instead of four dictionaries: a move is applied in many small steps
                // (OwnershipSteps), and each step must cost microseconds, not milliseconds.
                var keptVerdict = OwnershipVerdicts.KeptVerdict(spec, i);
                UpdateSet(s, NftNames.BucketMap(i), spec.BucketCount, Union(old), Union(now), "accept");
                UpdateSet(s, NftNames.KeptMap(i), spec.BucketCount, KeptOnly(old, spec.BucketCount), KeptOnly(now, spec.BucketCount), keptVerdict);
            }
            else if (rules[i].Filtering == FilteringMode.Single)
            {
                UpdateChain(s, NftNames.SingleChain(i), OwnershipVerdicts.SingleFilter(i, old), OwnershipVerdicts.SingleFilter(i, now));
                UpdateChain(s, NftNames.SingleAdmitChain(i), OwnershipVerdicts.SingleAdmit(i, old), OwnershipVerdicts.SingleAdmit(i, now));
            }
        }

        UpdateChain(s, NftNames.Uncovered, OwnershipVerdicts.UncoveredFilter(from), OwnershipVerdicts.UncoveredFilter(to));
        UpdateChain(s, NftNames.UncoveredAdmit, OwnershipVerdicts.UncoveredAdmit(from), OwnershipVerdicts.UncoveredAdmit(to));
        StandbyRenderer.RenderUpdate(s, spec, from, to);
        return s.ToString();
    }

    private static IEnumerable<int> Union(RuleOwnership rule) => rule.Buckets.Concat(rule.KeptBuckets);

    private static IEnumerable<int> KeptOnly(RuleOwnership rule, int bucketCount)
    {
        var owned = BucketBitmap.Of(rule.Buckets, bucketCount);
        return rule.KeptBuckets.Where(b => !owned[b]);
    }

    /// <summary>A map whose elements all carry one verdict: deletes first, then adds, each sorted.</summary>
    private static void UpdateSet(StringBuilder s, string map, int bucketCount, IEnumerable<int> old, IEnumerable<int> now, string verdict)
    {
        var was = BucketBitmap.Of(old, bucketCount);
        var @is = BucketBitmap.Of(now, bucketCount);

        var removed = new List<int>();
        var added = new List<KeyValuePair<int, string>>();
        for (var b = 0; b < bucketCount; b++)
        {
            if (was[b] && !@is[b])
            {
                removed.Add(b);
            }
            else if (@is[b] && !was[b])
            {
                added.Add(new(b, verdict));
            }
        }

        if (removed.Count > 0)
        {
            s.AppendLine(Inv($"delete element ip {NftNames.Table} {map} {{ {string.Join(", ", removed)} }}"));
        }

        if (added.Count > 0)
        {
            s.AppendLine(Inv($"add element ip {NftNames.Table} {map} {{ {Elements(added)} }}"));
        }
    }

    private static void UpdateChain(StringBuilder s, string chain, string old, string now) => UpdateChain(s, chain, [old], [now]);

    /// <summary>A chain whose rules differ is flushed and written again, in the same transaction.</summary>
    public static void UpdateChain(StringBuilder s, string chain, IReadOnlyList<string> old, IReadOnlyList<string> now)
    {
        if (old.SequenceEqual(now))
        {
            return;
        }

        s.AppendLine(Inv($"flush chain ip {NftNames.Table} {chain}"));
        foreach (var rule in now)
        {
            s.AppendLine(Inv($"add rule ip {NftNames.Table} {chain} {rule}"));
        }
    }
}
