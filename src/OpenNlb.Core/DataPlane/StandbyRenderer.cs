using System.Text;
using OpenNlb.Core.Configuration;
using static OpenNlb.Core.DataPlane.NftText;

namespace OpenNlb.Core.DataPlane;

/// <summary>
/// The takeover's part of the ruleset (docs/convergence.md, "Takeover"). Per multiple-host rule and
/// peer, a set of the buckets this host inherits if that peer dies, written ahead of time; per rule,
/// a -300 and a -150 chain, empty while every peer lives (a jump to an empty chain is all a packet
/// pays). Taking a peer's buckets over adds one rule to each of those chains, whatever the number of
/// buckets: the failover no longer waits for thousands of map elements.
/// </summary>
internal static class StandbyRenderer
{
    public static void RenderSets(StringBuilder s, DataPlaneSpec spec, Ownership ownership)
    {
        foreach (var standby in ownership.StandbyPeers)
        {
            foreach (var i in MultipleRules(spec))
            {
                var buckets = standby.Of(i);
                if (buckets.Count > 0)
                {
                    s.AppendLine(Inv($"  set {NftNames.HeirSet(i, standby.Peer)} {{ {SetType} elements = {{ {string.Join(", ", buckets)} }}; }}"));
                }
            }
        }
    }

    public static void RenderChains(StringBuilder s, DataPlaneSpec spec, Ownership ownership)
    {
        foreach (var i in MultipleRules(spec))
        {
            foreach (var l4 in Transports(spec.Cluster.PortRules[i].Protocol))
            {
                RenderChain(s, NftNames.StandbyChain(i, l4), FilterRules(spec, i, l4, ownership));
                RenderChain(s, NftNames.StandbyAdmitChain(i, l4), AdmitRules(spec, i, l4, ownership));
            }
        }
    }

    /// <summary>Heir sets, then the chains whose rules differ: one transaction, so a chain never names a set not yet there.</summary>
    public static void RenderUpdate(StringBuilder s, DataPlaneSpec spec, Ownership from, Ownership to)
    {
        if (from.StandbyPeers.SequenceEqual(to.StandbyPeers))
        {
            return;
        }

        var peers = from.StandbyPeers.Select(p => p.Peer).Union(to.StandbyPeers.Select(p => p.Peer)).Order();
        foreach (var peer in peers)
        {
            var (old, now) = (Find(from, peer), Find(to, peer));
            foreach (var i in MultipleRules(spec))
            {
                var (was, @is) = (old?.Of(i) ?? [], now?.Of(i) ?? []);
                if (was.SequenceEqual(@is))
                {
                    continue;
                }

                var set = NftNames.HeirSet(i, peer);
                if (was.Count == 0)
                {
                    // Idempotent: the set may be left from an earlier map, emptied but not deleted.
                    s.AppendLine(Inv($"add set ip {NftNames.Table} {set} {{ {SetType} }}"));
                }

                var removed = was.Except(@is).ToList();
                var added = @is.Except(was).ToList();
                if (removed.Count > 0)
                {
                    s.AppendLine(Inv($"delete element ip {NftNames.Table} {set} {{ {string.Join(", ", removed)} }}"));
                }

                if (added.Count > 0)
                {
                    s.AppendLine(Inv($"add element ip {NftNames.Table} {set} {{ {string.Join(", ", added)} }}"));
                }
            }
        }

        foreach (var i in MultipleRules(spec))
        {
            foreach (var l4 in Transports(spec.Cluster.PortRules[i].Protocol))
            {
                UpdateRenderer.UpdateChain(s, NftNames.StandbyChain(i, l4), FilterRules(spec, i, l4, from), FilterRules(spec, i, l4, to));
                UpdateRenderer.UpdateChain(s, NftNames.StandbyAdmitChain(i, l4), AdmitRules(spec, i, l4, from), AdmitRules(spec, i, l4, to));
            }
        }
    }

    /// <summary>A set declared like the bucket maps' keys (see <see cref="FilterRenderer.RenderBucketMap"/>).</summary>
    private const string SetType = "typeof numgen inc mod 2;";

    /// <summary>-300: an inherited bucket of a peer taken over passes to conntrack, counted as accepted.</summary>
    private static List<string> FilterRules(DataPlaneSpec spec, int i, string l4, Ownership ownership) =>
        Taken(ownership, i)
            .Select(peer => Inv($"{FilterRenderer.Hash(spec, spec.Cluster.PortRules[i], l4)} @{NftNames.HeirSet(i, peer)} {Count(NftNames.AcceptedCounter(i), "accept")}"))
            .ToList();

    /// <summary>-150: a new flow in such a bucket is admitted as in an owned one (foreign flows and stray segments refused).</summary>
    private static List<string> AdmitRules(DataPlaneSpec spec, int i, string l4, Ownership ownership) =>
        Taken(ownership, i)
            .Select(peer => Inv($"{FilterRenderer.Hash(spec, spec.Cluster.PortRules[i], l4)} @{NftNames.HeirSet(i, peer)} goto {NftNames.OwnChain(i)}"))
            .ToList();

    /// <summary>Peers taken over that leave this host something of rule i: only those have a set to name.</summary>
    private static IEnumerable<int> Taken(Ownership ownership, int i) =>
        ownership.StandbyPeers.Where(p => p.Active && p.Of(i).Count > 0).Select(p => p.Peer);

    private static Standby? Find(Ownership ownership, int peer) => ownership.StandbyPeers.FirstOrDefault(p => p.Peer == peer);

    /// <summary>
    /// The multiple-host rules, in a cluster with takeovers; none without: then the ruleset has no
    /// standby chain and no jump to one, and a packet's path is what it was before takeovers.
    /// </summary>
    private static IEnumerable<int> MultipleRules(DataPlaneSpec spec) =>
        Enumerable.Range(0, Enabled(spec) ? spec.Cluster.PortRules.Count : 0)
            .Where(i => spec.Cluster.PortRules[i].Filtering == FilteringMode.Multiple);

    /// <summary>Whether the ruleset has the standby chains: the rule chains jump to them only then.</summary>
    public static bool Enabled(DataPlaneSpec spec) => spec.Cluster.Heartbeat.Takeover;

    private static void RenderChain(StringBuilder s, string name, List<string> rules)
    {
        s.AppendLine(Inv($"  chain {name} {{"));
        foreach (var rule in rules)
        {
            s.AppendLine(Inv($"    {rule}"));
        }

        s.AppendLine("  }");
    }
}
