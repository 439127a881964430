using System.Text;
using OpenNlb.Core.Configuration;
using static OpenNlb.Core.DataPlane.NftText;

namespace OpenNlb.Core.DataPlane;

/// <summary>
/// The fast filter at prerouting -300: a packet for the VIP finds its port rule with one map
/// lookup, then its bucket; buckets this host owns or keeps pass to conntrack, everything else
/// is dropped before conntrack spends anything on it. Each verdict is counted per rule.
/// </summary>
internal static class FilterRenderer
{
    public static void RenderMaps(StringBuilder s, DataPlaneSpec spec, Ownership ownership)
    {
        var rules = spec.Cluster.PortRules;
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i].Filtering == FilteringMode.Multiple)
            {
                RenderBucketMap(s, NftNames.BucketMap(i), OwnershipVerdicts.Filter(ownership.Rules[i]));
            }
        }

        RenderDispatch(s, spec, NftNames.DispatchVip, "ip daddr . meta l4proto . th dport", r => r.Vip is not null, RuleVerdict);
        RenderDispatch(s, spec, NftNames.DispatchAll, "meta l4proto . th dport", r => r.Vip is null, RuleVerdict);
    }

    /// <summary>
    /// A jhash result has nft's "integer" type, which a named map cannot be declared with
    /// (`type mark` mismatches, `typeof jhash` crashes nft 1.0.6's listing). numgen's result is
    /// the same 32-bit integer and is accepted: the kernel sees 4-byte keys.
    /// </summary>
    public static void RenderBucketMap(StringBuilder s, string name, IReadOnlyDictionary<int, string> elements)
    {
        s.Append(Inv($"  map {name} {{ typeof numgen inc mod 2 : verdict;"));
        if (elements.Count > 0)
        {
            s.Append(Inv($" elements = {{ {Elements(elements)} }};"));
        }

        s.AppendLine(" }");
    }

    /// <summary>
    /// One lookup finds a packet's port rule, however many rules there are: every host sees every
    /// frame for the VIP, so a rule list walked in order would cost each host every rule before the
    /// last one, for every packet (measured: 0.81 of the static filter's throughput with four rules).
    /// The validator guarantees that the elements of one map do not overlap.
    /// </summary>
    public static void RenderDispatch(
        StringBuilder s, DataPlaneSpec spec, string name, string key, Func<PortRule, bool> scope, Func<PortRule, int, string, string> verdict)
    {
        var rules = spec.Cluster.PortRules.Select((rule, index) => (rule, index)).Where(r => scope(r.rule)).ToList();
        var elements = rules
            .SelectMany(r => Transports(r.rule.Protocol).Select(l4 =>
                Inv($"{(r.rule.Vip is { } vip ? $"{vip} . " : string.Empty)}{l4} . {Ports(r.rule.Ports)} : {verdict(r.rule, r.index, l4)}")))
            .ToList();
        if (elements.Count > 0)
        {
            // Interval maps (the kernel's pipapo sets) only when a rule has a port range: measured,
            // a hash lookup costs a new connection far less.
            var interval = rules.Any(r => r.rule.Ports.First != r.rule.Ports.Last) ? " flags interval;" : string.Empty;
            s.AppendLine(Inv($"  map {name} {{ typeof {key} : verdict;{interval} elements = {{ {string.Join(", ", elements)} }}; }}"));
        }
    }

    /// <summary>
    /// The named counters of the -300 verdicts, read by nlbd's metrics (docs/metrics.md): per rule
    /// and for uncovered traffic, accepted and dropped. Named, so that nlbd lists them without
    /// listing the rules; only a full render (which replaces the table) sets them back to zero.
    /// </summary>
    public static void RenderCounters(StringBuilder s, DataPlaneSpec spec)
    {
        for (var i = 0; i < spec.Cluster.PortRules.Count; i++)
        {
            s.AppendLine(Inv($"  counter {NftNames.AcceptedCounter(i)} {{ }}"));
            s.AppendLine(Inv($"  counter {NftNames.DroppedCounter(i)} {{ }}"));
        }

        s.AppendLine(Inv($"  counter {NftNames.UncoveredAccepted} {{ }}"));
        s.AppendLine(Inv($"  counter {NftNames.UncoveredDropped} {{ }}"));
    }

    public static void RenderHook(StringBuilder s)
    {
        // Buckets are judged at -300: after conntrack's defragmentation (-400), so every fragment is
        // judged with the ports of the whole datagram (KB229064), and before conntrack itself
        // (-200), so that the two thirds of the flooded traffic a host does not own is dropped
        // without conntrack creating and destroying an entry for each of its packets.
        s.AppendLine("  chain prerouting {");
        s.AppendLine("    type filter hook prerouting priority -300; policy accept;");
        s.AppendLine("    ip daddr @vips jump vip");
        s.AppendLine("  }");
    }

    public static void RenderVipChain(StringBuilder s, DataPlaneSpec spec)
    {
        var cluster = spec.Cluster;
        s.AppendLine("  chain vip {");
        if (cluster.Mode == OperationMode.Multicast)
        {
            // The frame came to the cluster's multicast MAC; TCP and UDP only take PACKET_HOST.
            s.AppendLine("    meta pkttype set host");
        }

        RenderRuleLookup(s, cluster, NftNames.DispatchVip, NftNames.DispatchAll);
        s.AppendLine(Inv($"    jump {NftNames.Uncovered}"));
        s.AppendLine("  }");
    }

    /// <summary>
    /// Rules for one VIP take precedence over rules for all VIPs (RuleOrder), as in NLB. Every rule
    /// chain ends in a verdict, so a packet that finds its rule never falls through.
    /// </summary>
    public static void RenderRuleLookup(StringBuilder s, ClusterConfig cluster, string vipMap, string allMap)
    {
        if (cluster.PortRules.Any(r => r.Vip is not null))
        {
            s.AppendLine(Inv($"    ip daddr . meta l4proto . th dport vmap @{vipMap}"));
        }

        if (cluster.PortRules.Any(r => r.Vip is null))
        {
            s.AppendLine(Inv($"    meta l4proto . th dport vmap @{allMap}"));
        }

        if (!cluster.FilterIcmp)
        {
            s.AppendLine("    meta l4proto icmp accept");
        }
    }

    public static void RenderRuleChains(StringBuilder s, DataPlaneSpec spec, Ownership ownership)
    {
        var rules = spec.Cluster.PortRules;
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i].Filtering == FilteringMode.Multiple)
            {
                foreach (var l4 in Transports(rules[i].Protocol))
                {
                    s.AppendLine(Inv($"  chain {NftNames.RuleChain(i, l4)} {{"));
                    // A lookup rather than a vmap, so that the verdict can be counted; the lookup
                    // and the hash are the same work, the counter one per-CPU addition.
                    s.AppendLine(Inv($"    {Hash(spec, rules[i], l4)} @{NftNames.BucketMap(i)} {Count(NftNames.AcceptedCounter(i), "accept")}"));
                    s.AppendLine(Inv($"    jump {NftNames.StandbyChain(i, l4)}"));
                    s.AppendLine(Inv($"    {Count(NftNames.DroppedCounter(i), "drop")}"));
                    s.AppendLine("  }");
                }
            }
            else if (rules[i].Filtering == FilteringMode.Single)
            {
                s.AppendLine(Inv($"  chain {NftNames.SingleChain(i)} {{ {OwnershipVerdicts.SingleFilter(i, ownership.Rules[i])}; }}"));
            }
            else
            {
                s.AppendLine(Inv($"  chain {NftNames.DisabledChain(i)} {{ {Count(NftNames.DroppedCounter(i), "drop")}; }}"));
            }
        }

        s.AppendLine(Inv($"  chain {NftNames.Uncovered} {{ {OwnershipVerdicts.UncoveredFilter(ownership)}; }}"));
    }

    public static string Hash(DataPlaneSpec spec, PortRule rule, string l4) =>
        Inv($"jhash {HashKey(rule.Affinity, l4)} mod {spec.BucketCount} seed 0x{spec.HashSeed:x8}");

    private static string RuleVerdict(PortRule rule, int index, string l4) => rule.Filtering switch
    {
        FilteringMode.Multiple => $"jump {NftNames.RuleChain(index, l4)}",
        FilteringMode.Single => $"jump {NftNames.SingleChain(index)}",
        _ => $"jump {NftNames.DisabledChain(index)}",
    };
}
