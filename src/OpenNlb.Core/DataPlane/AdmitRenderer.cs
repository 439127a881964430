using System.Text;
using OpenNlb.Core.Configuration;
using static OpenNlb.Core.DataPlane.NftText;

namespace OpenNlb.Core.DataPlane;

/// <summary>
/// Admission at prerouting -150, after conntrack (-200): what -300 let through is either a packet
/// of a flow conntrack has confirmed (passed at once, the steady state) or the first packet of a
/// flow, or a stray one. Those go through the lease, then to their rule again, where an owned
/// bucket refuses what belongs to a flow another host keeps and a kept bucket takes only its
/// affinity clients.
/// </summary>
internal static class AdmitRenderer
{
    /// <summary>
    /// Dynamic sets allocate a hash table for their size at once; 65,535 (nft's default) is
    /// plenty for affinity clients, but foreign UDP flows can number as many as the old owner's
    /// conntrack entries (nf_conntrack_max is 262,144 on a host with a few GiB).
    /// </summary>
    private const int ForeignFlowsSize = 262144;

    public static void RenderSets(StringBuilder s, DataPlaneSpec spec)
    {
        // `meta nfproto` would read better, but nft refuses it outside the inet family; the
        // ethertype of every packet of this table is "ip".
        LeaseRenderer.RenderSet(s, spec);
        if (HasHold(spec))
        {
            s.AppendLine(Inv($"  set {NftNames.Hold} {{ typeof meta protocol; }}"));
        }

        // A set's own timeout, since `update @set { key }` re-arms an element with the set's
        // timeout, not the element's: without one it would expire at once (kernel 6.18).
        var flow = Duration(spec.ForeignFlowTimeout);
        s.AppendLine(Inv($"  set {NftNames.ForeignFlows} {{ type ipv4_addr . inet_service . ipv4_addr . inet_service; size {ForeignFlowsSize}; flags dynamic, timeout; timeout {flow}; }}"));
        for (var i = 0; i < spec.Cluster.PortRules.Count; i++)
        {
            if (spec.HasClientSets(i))
            {
                var affinity = Duration(spec.AffinityTimeout(i));
                s.AppendLine(Inv($"  set {NftNames.Clients(i)} {{ type ipv4_addr; flags dynamic, timeout; timeout {affinity}; }}"));
                s.AppendLine(Inv($"  set {NftNames.ForeignClients(i)} {{ type ipv4_addr; flags dynamic, timeout; timeout {affinity}; }}"));
            }
        }
    }

    public static void RenderMaps(StringBuilder s, DataPlaneSpec spec, Ownership ownership)
    {
        var rules = spec.Cluster.PortRules;
        for (var i = 0; i < rules.Count; i++)
        {
            if (rules[i].Filtering == FilteringMode.Multiple)
            {
                FilterRenderer.RenderBucketMap(s, NftNames.KeptMap(i), OwnershipVerdicts.Kept(spec, i, ownership.Rules[i]));
            }
        }

        FilterRenderer.RenderDispatch(s, spec, NftNames.AdmitVip, "ip daddr . meta l4proto . th dport", r => r.Vip is not null, RuleVerdict);
        FilterRenderer.RenderDispatch(s, spec, NftNames.AdmitAll, "meta l4proto . th dport", r => r.Vip is null, RuleVerdict);
    }

    public static void RenderHook(StringBuilder s)
    {
        // The steady state first: a packet of a confirmed TCP connection costs one rule here,
        // whoever owns its bucket now and whether the lease runs: a host keeps its connections
        // even when its daemon is gone. Other traffic (not for the VIP) passes by policy.
        s.AppendLine(Inv($"  chain {NftNames.Conntrack} {{"));
        s.AppendLine("    type filter hook prerouting priority -150; policy accept;");
        s.AppendLine("    ct status confirmed meta l4proto tcp accept");
        s.AppendLine(Inv($"    ip daddr @vips jump {NftNames.Admit}"));
        s.AppendLine("  }");
    }

    /// <summary>Whether the ruleset has the hold: only with takeovers, the one case that sets it.</summary>
    public static bool HasHold(DataPlaneSpec spec) => spec.Cluster.Heartbeat.Takeover;

    public static void RenderAdmitChain(StringBuilder s, DataPlaneSpec spec)
    {
        s.AppendLine(Inv($"  chain {NftNames.Admit} {{"));
        // Lapsed: the daemon has not renewed its lease, so the others may soon take this host's
        // buckets. No new flow and no UDP (conntrack cannot tell an old UDP flow from a new one).
        s.AppendLine(Inv($"    meta protocol != @{NftNames.Lease} drop"));
        s.AppendLine("    ct status confirmed accept");

        // Held: this host gives up every new flow at once, while the thousands of map elements that
        // say so bucket by bucket are still being written (HandoverRenderer.Hold). Only with
        // takeovers, the one case that sets it; without, no packet pays for the lookup.
        if (HasHold(spec))
        {
            s.AppendLine(Inv($"    meta protocol @{NftNames.Hold} drop"));
        }

        FilterRenderer.RenderRuleLookup(s, spec.Cluster, NftNames.AdmitVip, NftNames.AdmitAll);
        s.AppendLine(Inv($"    jump {NftNames.UncoveredAdmit}"));
        s.AppendLine("  }");
    }

    public static void RenderRuleChains(StringBuilder s, DataPlaneSpec spec, Ownership ownership)
    {
        var rules = spec.Cluster.PortRules;
        for (var i = 0; i < rules.Count; i++)
        {
            var rule = rules[i];
            if (rule.Filtering == FilteringMode.Multiple)
            {
                foreach (var l4 in Transports(rule.Protocol))
                {
                    // Kept first; then owned is what the filter map still holds (the bucket may
                    // have left both since -300); then inherited from a peer taken over; then the
                    // bucket is another host's.
                    var hash = FilterRenderer.Hash(spec, rule, l4);
                    s.AppendLine(Inv($"  chain {NftNames.RuleAdmitChain(i, l4)} {{"));
                    s.AppendLine(Inv($"    {hash} vmap @{NftNames.KeptMap(i)}"));
                    s.AppendLine(Inv($"    {hash} @{NftNames.BucketMap(i)} goto {NftNames.OwnChain(i)}"));
                    s.AppendLine(Inv($"    jump {NftNames.StandbyAdmitChain(i, l4)}"));
                    s.AppendLine("    drop");
                    s.AppendLine("  }");
                }

                RenderOwnChain(s, spec, NftNames.OwnChain(i), rule.Protocol, i);
                if (spec.HasClientSets(i))
                {
                    RenderKeepChain(s, spec, i);
                }
            }
            else if (rule.Filtering == FilteringMode.Single)
            {
                s.AppendLine(Inv($"  chain {NftNames.SingleAdmitChain(i)} {{ {OwnershipVerdicts.SingleAdmit(i, ownership.Rules[i])}; }}"));
                RenderOwnChain(s, spec, NftNames.OwnChain(i), rule.Protocol, rule: null);
            }
        }

        s.AppendLine(Inv($"  chain {NftNames.UncoveredAdmit} {{ {OwnershipVerdicts.UncoveredAdmit(ownership)}; }}"));
        RenderOwnChain(s, spec, NftNames.UncoveredOwn, Protocol.Both, rule: null);
    }

    /// <summary>
    /// A new flow where this host owns the bucket (or the single-host rule, or the uncovered
    /// traffic). Refused when it belongs to a flow another host keeps: a TCP segment that is not a
    /// SYN (this host's stack would answer it with a reset), a UDP flow the old owner handed over,
    /// a new flow of a client the old owner keeps under extended affinity. Each refusal renews the
    /// foreign entry's timeout, as the old owner's own traffic renews its entry: both see every
    /// packet, so both forget at the same moment.
    /// </summary>
    private static void RenderOwnChain(StringBuilder s, DataPlaneSpec spec, string name, Protocol protocol, int? rule)
    {
        var transports = Transports(protocol);
        var flow = Duration(spec.ForeignFlowTimeout);
        s.AppendLine(Inv($"  chain {name} {{"));
        if (transports.Contains("tcp"))
        {
            s.AppendLine(Inv($"    {NotSyn} drop"));
        }

        if (transports.Contains("udp"))
        {
            s.AppendLine(Inv($"    {UdpFlowKey} @{NftNames.ForeignFlows} update @{NftNames.ForeignFlows} {{ {UdpFlowKey} timeout {flow} }} drop"));
        }

        if (rule is { } i && spec.HasClientSets(i))
        {
            var key = ClientKey(spec.Cluster.PortRules[i].Affinity);
            var foreign = NftNames.ForeignClients(i);
            var affinity = Duration(spec.AffinityTimeout(i));
            if (transports.Contains("udp"))
            {
                // The old owner confirms the client's new UDP flow and renews the client once;
                // here every packet of it looks new. Listing the flow keeps the client's renewals
                // on the first packet, as there.
                s.AppendLine(Inv($"    {key} @{foreign} add @{NftNames.ForeignFlows} {{ {UdpFlowKey} timeout {flow} }}"));
            }

            s.AppendLine(Inv($"    {key} @{foreign} update @{foreign} {{ {key} timeout {affinity} }} drop"));
            s.AppendLine(Inv($"    update @{NftNames.Clients(i)} {{ {key} timeout {affinity} }}"));
        }

        s.AppendLine("    accept");
        s.AppendLine("  }");
    }

    /// <summary>A new flow in a kept bucket: taken only from a client this host keeps under extended affinity.</summary>
    private static void RenderKeepChain(StringBuilder s, DataPlaneSpec spec, int i)
    {
        var key = ClientKey(spec.Cluster.PortRules[i].Affinity);
        var clients = NftNames.Clients(i);
        s.AppendLine(Inv($"  chain {NftNames.KeepChain(i)} {{"));
        s.AppendLine(Inv($"    {key} @{clients} update @{clients} {{ {key} timeout {Duration(spec.AffinityTimeout(i))} }} accept"));
        s.AppendLine("    drop");
        s.AppendLine("  }");
    }

    private static string RuleVerdict(PortRule rule, int index, string l4) => rule.Filtering switch
    {
        FilteringMode.Multiple => $"jump {NftNames.RuleAdmitChain(index, l4)}",
        FilteringMode.Single => $"jump {NftNames.SingleAdmitChain(index)}",
        _ => "drop",
    };
}
