using System.Globalization;
using System.Net.Sockets;
using System.Text;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Hashing;

namespace OpenNlb.Core.DataPlane;

/// <summary>
/// Renders the nftables ruleset that implements a host's share of the cluster. Pure text: the
/// daemon hands it to libnftables, which applies each script as one transaction, so the kernel
/// never holds a half-written table.
/// </summary>
/// <remarks>
/// The filter runs at prerouting priority -300: after conntrack's defragmentation (-400), so every
/// fragment of a datagram is judged with the ports of the reassembled packet (KB229064), and before
/// conntrack (-200), so traffic this host does not own costs no conntrack work.
/// </remarks>
public static class RulesetRenderer
{
    private const string Filter = "filter";

    /// <summary>Replaces any previous opennlb tables with the full ruleset, atomically.</summary>
    public static string RenderFull(DataPlaneSpec spec, Ownership ownership)
    {
        var s = new StringBuilder();
        ReplaceTable(s, "ip");
        s.AppendLine(Inv($"table ip {NftNames.Table} {{"));
        RenderVipSet(s, spec);
        RenderMaps(s, spec, ownership);
        RenderHook(s);
        RenderVipChain(s, spec);
        RenderVerdictChains(s, spec, ownership);
        s.AppendLine("}");

        if (spec.Cluster.Mode == OperationMode.Unicast)
        {
            RenderSourceMacMask(s, spec);
        }
        else
        {
            RenderMulticastArp(s, spec);
        }

        return s.ToString();
    }

    /// <summary>Changes only what differs between two ownerships; empty when nothing does.</summary>
    public static string RenderUpdate(DataPlaneSpec spec, Ownership from, Ownership to)
    {
        var s = new StringBuilder();
        var rules = spec.Cluster.PortRules;
        for (var i = 0; i < rules.Count; i++)
        {
            var (old, now) = (from.Rules[i], to.Rules[i]);
            if (rules[i].Filtering == FilteringMode.Multiple)
            {
                var added = now.Buckets.Except(old.Buckets).Order().ToList();
                var removed = old.Buckets.Except(now.Buckets).Order().ToList();
                if (removed.Count > 0)
                {
                    s.AppendLine(Inv($"delete element ip {NftNames.Table} {NftNames.BucketMap(i)} {{ {string.Join(", ", removed)} }}"));
                }

                if (added.Count > 0)
                {
                    s.AppendLine(Inv($"add element ip {NftNames.Table} {NftNames.BucketMap(i)} {{ {Elements(added)} }}"));
                }
            }
            else if (rules[i].Filtering == FilteringMode.Single && old.HandlesSingle != now.HandlesSingle)
            {
                s.AppendLine(Inv($"flush chain ip {NftNames.Table} {NftNames.SingleChain(i)}"));
                s.AppendLine(Inv($"add rule ip {NftNames.Table} {NftNames.SingleChain(i)} {Verdict(now.HandlesSingle)}"));
            }
        }

        if (from.IsDefaultHost != to.IsDefaultHost)
        {
            s.AppendLine(Inv($"flush chain ip {NftNames.Table} {NftNames.Uncovered}"));
            s.AppendLine(Inv($"add rule ip {NftNames.Table} {NftNames.Uncovered} {Verdict(to.IsDefaultHost)}"));
        }

        return s.ToString();
    }

    /// <summary>Removes every table the daemon added (idempotent: "add" before "delete").</summary>
    public static string RenderRemove(DataPlaneSpec spec)
    {
        var s = new StringBuilder();
        ReplaceTable(s, "ip");
        ReplaceTable(s, "netdev");
        ReplaceTable(s, "arp");
        return s.ToString();
    }

    private static void ReplaceTable(StringBuilder s, string family)
    {
        s.AppendLine(Inv($"add table {family} {NftNames.Table}"));
        s.AppendLine(Inv($"delete table {family} {NftNames.Table}"));
    }

    private static void RenderVipSet(StringBuilder s, DataPlaneSpec spec)
    {
        var vips = string.Join(", ", spec.Cluster.Vips.Select(v => v.ToString()));
        s.AppendLine(Inv($"  set vips {{ type ipv4_addr; elements = {{ {vips} }}; }}"));
    }

    private static void RenderMaps(StringBuilder s, DataPlaneSpec spec, Ownership ownership)
    {
        var rules = spec.Cluster.PortRules;
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i].Filtering != FilteringMode.Multiple)
            {
                continue;
            }

            // A jhash result has nft's "integer" type, which a named map cannot be declared with
            // (`type mark` mismatches, `typeof jhash` crashes nft 1.0.6's listing). numgen's
            // result is the same 32-bit integer and is accepted: the kernel sees 4-byte keys.
            s.Append(Inv($"  map {NftNames.BucketMap(i)} {{ typeof numgen inc mod 2 : verdict;"));
            var owned = ownership.Rules[i].Buckets;
            if (owned.Count > 0)
            {
                s.Append(Inv($" elements = {{ {Elements(owned)} }};"));
            }

            s.AppendLine(" }");
        }

        RenderDispatch(s, spec, NftNames.DispatchVip, "ip daddr . meta l4proto . th dport", r => r.Vip is not null);
        RenderDispatch(s, spec, NftNames.DispatchAll, "meta l4proto . th dport", r => r.Vip is null);
    }

    /// <summary>
    /// One lookup finds a packet's port rule, however many rules there are: every host sees every
    /// frame for the VIP, so a rule list walked in order would cost each host every rule before the
    /// last one, for every packet (measured: 0.81 of the static filter's throughput with four rules).
    /// The validator guarantees that the elements of one map do not overlap.
    /// </summary>
    private static void RenderDispatch(StringBuilder s, DataPlaneSpec spec, string name, string key, Func<PortRule, bool> scope)
    {
        var rules = spec.Cluster.PortRules.Select((rule, index) => (rule, index)).Where(r => scope(r.rule)).ToList();
        var elements = rules
            .SelectMany(r => Transports(r.rule.Protocol).Select(l4 =>
                Inv($"{(r.rule.Vip is { } vip ? $"{vip} . " : string.Empty)}{l4} . {Ports(r.rule.Ports)} : {RuleVerdict(r.rule, r.index, l4)}")))
            .ToList();
        if (elements.Count > 0)
        {
            // Interval maps (the kernel's pipapo sets) only when a rule has a port range: measured,
            // a hash lookup costs a new connection far less.
            var interval = rules.Any(r => r.rule.Ports.First != r.rule.Ports.Last) ? " flags interval;" : string.Empty;
            s.AppendLine(Inv($"  map {name} {{ typeof {key} : verdict;{interval} elements = {{ {string.Join(", ", elements)} }}; }}"));
        }
    }

    private static string RuleVerdict(PortRule rule, int index, string l4) => rule.Filtering switch
    {
        FilteringMode.Multiple => $"jump {NftNames.RuleChain(index, l4)}",
        FilteringMode.Single => $"jump {NftNames.SingleChain(index)}",
        _ => "drop",
    };

    private static void RenderHook(StringBuilder s)
    {
        // Buckets are judged at -300: after conntrack's defragmentation (-400), so every fragment is
        // judged with the ports of the whole datagram (KB229064), and before conntrack itself
        // (-200), so that the two thirds of the flooded traffic a host does not own is dropped
        // without conntrack creating and destroying an entry for each of its packets.
        s.AppendLine("  chain prerouting {");
        s.AppendLine(Inv($"    type {Filter} hook prerouting priority -300; policy accept;"));
        s.AppendLine("    ip daddr @vips jump vip");
        s.AppendLine("  }");

        // A ct expression keeps conntrack, and with it defragmentation, registered in the namespace
        // whatever else the host runs; it is also where the hand-over of live flows will go.
        s.AppendLine("  chain conntrack {");
        s.AppendLine(Inv($"    type {Filter} hook prerouting priority -150; policy accept;"));
        s.AppendLine("    ip daddr @vips ct state established,related accept");
        s.AppendLine("  }");
    }

    private static void RenderVipChain(StringBuilder s, DataPlaneSpec spec)
    {
        var cluster = spec.Cluster;
        s.AppendLine("  chain vip {");
        if (cluster.Mode == OperationMode.Multicast)
        {
            // The frame came to the cluster's multicast MAC; TCP and UDP only take PACKET_HOST.
            s.AppendLine("    meta pkttype set host");
        }

        // Rules for one VIP take precedence over rules for all VIPs (RuleOrder), as in NLB. Every
        // rule chain ends in a verdict, so a packet that finds its rule never falls through.
        if (cluster.PortRules.Any(r => r.Vip is not null))
        {
            s.AppendLine(Inv($"    ip daddr . meta l4proto . th dport vmap @{NftNames.DispatchVip}"));
        }

        if (cluster.PortRules.Any(r => r.Vip is null))
        {
            s.AppendLine(Inv($"    meta l4proto . th dport vmap @{NftNames.DispatchAll}"));
        }

        if (!cluster.FilterIcmp)
        {
            s.AppendLine("    meta l4proto icmp accept");
        }

        s.AppendLine(Inv($"    jump {NftNames.Uncovered}"));
        s.AppendLine("  }");
    }

    private static void RenderVerdictChains(StringBuilder s, DataPlaneSpec spec, Ownership ownership)
    {
        var rules = spec.Cluster.PortRules;
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i].Filtering == FilteringMode.Multiple)
            {
                foreach (var l4 in Transports(rules[i].Protocol))
                {
                    var key = KeyExpression(rules[i].Affinity, l4);
                    s.AppendLine(Inv($"  chain {NftNames.RuleChain(i, l4)} {{"));
                    s.AppendLine(Inv($"    jhash {key} mod {spec.BucketCount} seed 0x{spec.HashSeed:x8} vmap @{NftNames.BucketMap(i)}"));
                    s.AppendLine("    drop");
                    s.AppendLine("  }");
                }
            }
            else if (rules[i].Filtering == FilteringMode.Single)
            {
                s.AppendLine(Inv($"  chain {NftNames.SingleChain(i)} {{ {Verdict(ownership.Rules[i].HandlesSingle)}; }}"));
            }
        }

        s.AppendLine(Inv($"  chain {NftNames.Uncovered} {{ {Verdict(ownership.IsDefaultHost)}; }}"));
    }

    private static void RenderSourceMacMask(StringBuilder s, DataPlaneSpec spec)
    {
        var primary = spec.Cluster.Vips[0];
        var cluster = ClusterMac.Format(ClusterMac.Unicast(primary));
        var masked = ClusterMac.Format(ClusterMac.MaskedSource(spec.HostPriority, primary));
        ReplaceTable(s, "netdev");
        s.AppendLine(Inv($"table netdev {NftNames.Table} {{"));
        s.AppendLine("  chain egress {");
        s.AppendLine(Inv($"    type {Filter} hook egress device \"{spec.Interface}\" priority 0; policy accept;"));
        s.AppendLine(Inv($"    ether saddr {cluster} ether saddr set {masked}"));
        s.AppendLine("  }");
        s.AppendLine("}");
    }

    private static void RenderMulticastArp(StringBuilder s, DataPlaneSpec spec)
    {
        var multicast = ClusterMac.Format(ClusterMac.Multicast(spec.Cluster.Vips[0]));
        var vips = string.Join(", ", spec.Cluster.Vips.Select(v => v.ToString()));
        ReplaceTable(s, "arp");
        s.AppendLine(Inv($"table arp {NftNames.Table} {{"));
        s.AppendLine("  chain output {");
        s.AppendLine(Inv($"    type {Filter} hook output priority 0; policy accept;"));
        // Requests too, not only replies: a host that answers a client from the VIP asks for the
        // client's MAC with the VIP as sender address, and every neighbour that hears it would
        // otherwise learn the VIP at this one host's own MAC.
        s.AppendLine(Inv($"    arp saddr ip {{ {vips} }} arp saddr ether set {multicast}"));
        s.AppendLine("  }");
        s.AppendLine("}");
    }

    private static string[] Transports(Protocol protocol) => protocol switch
    {
        Protocol.Tcp => ["tcp"],
        Protocol.Udp => ["udp"],
        _ => ["tcp", "udp"],
    };

    private static string Ports(PortRange ports) => ports.First == ports.Last
        ? Inv($"{ports.First}")
        : Inv($"{ports.First}-{ports.Last}");

    // The hash model is the one source of truth for what the kernel hashes.
    private static string KeyExpression(Affinity affinity, string l4) =>
        FlowHash.NftKeyExpression(affinity, AddressFamily.InterNetwork, l4 == "tcp" ? Protocol.Tcp : Protocol.Udp);

    private static string Verdict(bool accept) => accept ? "accept" : "drop";

    private static string Elements(IEnumerable<int> buckets) =>
        string.Join(", ", buckets.Select(b => Inv($"{b} : accept")));

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
