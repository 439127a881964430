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
                UpdateMap(s, NftNames.BucketMap(i), OwnershipVerdicts.Filter(old), OwnershipVerdicts.Filter(now));
                UpdateMap(s, NftNames.KeptMap(i), OwnershipVerdicts.Kept(spec, i, old), OwnershipVerdicts.Kept(spec, i, now));
            }
            else if (rules[i].Filtering == FilteringMode.Single)
            {
                UpdateChain(s, NftNames.SingleChain(i), OwnershipVerdicts.SingleFilter(old), OwnershipVerdicts.SingleFilter(now));
                UpdateChain(s, NftNames.SingleAdmitChain(i), OwnershipVerdicts.SingleAdmit(i, old), OwnershipVerdicts.SingleAdmit(i, now));
            }
        }

        UpdateChain(s, NftNames.Uncovered, OwnershipVerdicts.UncoveredFilter(from), OwnershipVerdicts.UncoveredFilter(to));
        UpdateChain(s, NftNames.UncoveredAdmit, OwnershipVerdicts.UncoveredAdmit(from), OwnershipVerdicts.UncoveredAdmit(to));
        return s.ToString();
    }

    /// <summary>
    /// Deletes come first: an element whose verdict changed would be deleted and added again in
    /// the same transaction, which the kernel applies as one step.
    /// </summary>
    private static void UpdateMap(StringBuilder s, string map, IReadOnlyDictionary<int, string> old, IReadOnlyDictionary<int, string> now)
    {
        var removed = old.Keys.Where(b => !now.TryGetValue(b, out var v) || v != old[b]).Order().ToList();
        var added = now.Where(e => !old.TryGetValue(e.Key, out var v) || v != e.Value).ToList();
        if (removed.Count > 0)
        {
            s.AppendLine(Inv($"delete element ip {NftNames.Table} {map} {{ {string.Join(", ", removed)} }}"));
        }

        if (added.Count > 0)
        {
            s.AppendLine(Inv($"add element ip {NftNames.Table} {map} {{ {Elements(added)} }}"));
        }
    }

    private static void UpdateChain(StringBuilder s, string chain, string old, string now)
    {
        if (old != now)
        {
            s.AppendLine(Inv($"flush chain ip {NftNames.Table} {chain}"));
            s.AppendLine(Inv($"add rule ip {NftNames.Table} {chain} {now}"));
        }
    }
}
