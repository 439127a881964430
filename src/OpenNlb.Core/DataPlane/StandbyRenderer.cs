using System.Text;
using OpenNlb.Core.Configuration;
using static OpenNlb.Core.DataPlane.NftText;

namespace OpenNlb.Core.DataPlane;

/// <summary>
/// The heir sets' part of the ruleset (docs/convergence.md, "Takeover" and "Claiming a dead host's
/// buckets"). Per multiple-host rule and peer, a set of the buckets this host inherits if that
/// peer leaves, written ahead of time; per peer, a set <c>takenP</c> that holds one element while
/// this host serves those buckets; per rule, a -300 and a -150 chain with one rule per peer that
/// has heirs, behind one test of <c>taken</c> (any peer taken). Switching a peer on or off is an
/// element added to or flushed from two small sets: libnftables and the kernel take 15 to 25 ms
/// for a transaction that adds rules on a loaded machine, and a few for one that adds elements.
/// The rules themselves change only when a peer's heirs appear or vanish, ahead of any failover.
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

            s.AppendLine(Inv($"  set {NftNames.TakenSet(standby.Peer)} {{ {FlagType}{(standby.Active ? " elements = { ip };" : string.Empty)} }}"));
        }

        s.AppendLine(Inv($"  set {NftNames.AnyTaken} {{ {FlagType}{(AnyActive(ownership) ? " elements = { ip };" : string.Empty)} }}"));
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

    /// <summary>
    /// One transaction: the taken sets of new peers and the heir sets first, so that a chain
    /// never names a set not yet there; then the chains whose rules differ; then what is taken.
    /// </summary>
    public static void RenderUpdate(StringBuilder s, DataPlaneSpec spec, Ownership from, Ownership to)
    {
        if (from.StandbyPeers.SequenceEqual(to.StandbyPeers))
        {
            return;
        }

        var peers = from.StandbyPeers.Select(p => p.Peer).Union(to.StandbyPeers.Select(p => p.Peer)).Order().ToList();
        foreach (var peer in peers)
        {
            var (old, now) = (Find(from, peer), Find(to, peer));
            if (old is null)
            {
                // Idempotent: the set may be left from an earlier map.
                s.AppendLine(Inv($"add set ip {NftNames.Table} {NftNames.TakenSet(peer)} {{ {FlagType} }}"));
            }

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

        foreach (var peer in peers)
        {
            var (was, @is) = (Find(from, peer)?.Active ?? false, Find(to, peer)?.Active ?? false);
            if (was != @is)
            {
                s.AppendLine(@is
                    ? Inv($"add element ip {NftNames.Table} {NftNames.TakenSet(peer)} {{ ip }}")
                    : Inv($"flush set ip {NftNames.Table} {NftNames.TakenSet(peer)}"));
            }
        }

        if (AnyActive(from) != AnyActive(to))
        {
            s.AppendLine(AnyActive(to)
                ? Inv($"add element ip {NftNames.Table} {NftNames.AnyTaken} {{ ip }}")
                : Inv($"flush set ip {NftNames.Table} {NftNames.AnyTaken}"));
        }
    }

    /// <summary>A set declared like the bucket maps' keys (see <see cref="FilterRenderer.RenderBucketMap"/>).</summary>
    private const string SetType = "typeof numgen inc mod 2;";

    /// <summary>A one-element flag, like the lease: keyed by the packet's ethertype, so every IPv4 packet matches "ip".</summary>
    private const string FlagType = "typeof meta protocol;";

    private static bool AnyActive(Ownership ownership) => ownership.StandbyPeers.Any(p => p.Active);

    /// <summary>-300: a bucket inherited from a peer this host serves passes to conntrack, counted as accepted.</summary>
    private static List<string> FilterRules(DataPlaneSpec spec, int i, string l4, Ownership ownership) =>
        Gated(WithHeirs(ownership, i)
            .Select(peer => Inv($"meta protocol @{NftNames.TakenSet(peer)} {FilterRenderer.Hash(spec, spec.Cluster.PortRules[i], l4)} @{NftNames.HeirSet(i, peer)} {Count(NftNames.AcceptedCounter(i), "accept")}")));

    /// <summary>-150: a new flow in such a bucket is admitted as in an owned one (foreign flows and stray segments refused).</summary>
    private static List<string> AdmitRules(DataPlaneSpec spec, int i, string l4, Ownership ownership) =>
        Gated(WithHeirs(ownership, i)
            .Select(peer => Inv($"meta protocol @{NftNames.TakenSet(peer)} {FilterRenderer.Hash(spec, spec.Cluster.PortRules[i], l4)} @{NftNames.HeirSet(i, peer)} goto {NftNames.OwnChain(i)}")));

    /// <summary>Behind one test: while no peer is taken, a packet pays a lookup in an empty set and returns.</summary>
    private static List<string> Gated(IEnumerable<string> rules)
    {
        var list = rules.ToList();
        return list.Count == 0 ? list : [Inv($"meta protocol != @{NftNames.AnyTaken} return"), .. list];
    }

    /// <summary>Peers that leave this host something of rule i: only those have a set to name.</summary>
    private static IEnumerable<int> WithHeirs(Ownership ownership, int i) =>
        ownership.StandbyPeers.Where(p => p.Of(i).Count > 0).Select(p => p.Peer);

    private static Standby? Find(Ownership ownership, int peer) => ownership.StandbyPeers.FirstOrDefault(p => p.Peer == peer);

    /// <summary>
    /// The multiple-host rules: each has its standby chains, in every cluster. With takeovers they
    /// serve a silent peer's buckets before the new map; without, they let the new map's claim
    /// of a dead peer's buckets be one small transaction (<see cref="StandbySteps.ClaimThrough"/>).
    /// </summary>
    private static IEnumerable<int> MultipleRules(DataPlaneSpec spec) =>
        Enumerable.Range(0, spec.Cluster.PortRules.Count)
            .Where(i => spec.Cluster.PortRules[i].Filtering == FilteringMode.Multiple);

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
