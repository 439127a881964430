using System.Text;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Convergence;
using static OpenNlb.Core.DataPlane.NftText;

namespace OpenNlb.Core.DataPlane;

/// <summary>
/// Renders the nftables ruleset that implements a host's share of the cluster. Pure text: the
/// daemon hands it to libnftables, which applies each script as one transaction, so the kernel
/// never holds a half-written table.
/// </summary>
/// <remarks>
/// Two stages (docs/architecture.md). At prerouting -300, after defragmentation and before
/// conntrack, the fast filter drops every packet of a bucket this host neither owns nor keeps. At
/// -150, after conntrack, confirmed flows pass and new ones are admitted: under the lease, in owned
/// buckets unless they belong to a flow another host keeps, in kept buckets only for this host's
/// extended-affinity clients.
/// </remarks>
public static class RulesetRenderer
{
    /// <summary>Replaces any previous opennlb tables with the full ruleset, atomically; the lease starts running.</summary>
    public static string RenderFull(DataPlaneSpec spec, Ownership ownership)
    {
        CheckShape(spec, ownership);
        var s = new StringBuilder();
        ReplaceTable(s, "ip");
        s.AppendLine(Inv($"table ip {NftNames.Table} {{"));
        var vips = string.Join(", ", spec.Cluster.Vips.Select(v => v.ToString()));
        s.AppendLine(Inv($"  set vips {{ type ipv4_addr; elements = {{ {vips} }}; }}"));
        FilterRenderer.RenderCounters(s, spec);
        AdmitRenderer.RenderSets(s, spec);
        FilterRenderer.RenderMaps(s, spec, ownership);
        AdmitRenderer.RenderMaps(s, spec, ownership);
        StandbyRenderer.RenderSets(s, spec, ownership);
        FilterRenderer.RenderHook(s);
        AdmitRenderer.RenderHook(s);
        LeaseRenderer.RenderHeartbeatHook(s, spec);
        FilterRenderer.RenderVipChain(s, spec);
        AdmitRenderer.RenderAdmitChain(s, spec);
        FilterRenderer.RenderRuleChains(s, spec, ownership);
        AdmitRenderer.RenderRuleChains(s, spec, ownership);
        StandbyRenderer.RenderChains(s, spec, ownership);
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
        CheckShape(spec, from);
        CheckShape(spec, to);
        return UpdateRenderer.Render(spec, from, to);
    }

    /// <summary>Sets (or clears) the hold on every new flow: one small transaction (see <see cref="HandoverRenderer.Hold"/>).</summary>
    public static string RenderHold(bool on) => HandoverRenderer.Hold(on);


    /// <summary>
    /// Adds the flows and clients other hosts keep, which this host's owned buckets then refuse.
    /// Flows get <see cref="DataPlaneSpec.ForeignFlowTimeout"/>, clients their rule's affinity
    /// timeout: the timeouts the ruleset renews them with. Empty when there is nothing to add.
    /// </summary>
    public static string RenderForeign(DataPlaneSpec spec, IEnumerable<HandoverFlow> flows, IEnumerable<HandoverClient> clients) =>
        HandoverRenderer.Foreign(spec, flows, clients);

    /// <summary>Removes every table the daemon added (idempotent: "add" before "delete").</summary>
    public static string RenderRemove(DataPlaneSpec spec)
    {
        var s = new StringBuilder();
        ReplaceTable(s, "ip");
        ReplaceTable(s, "netdev");
        ReplaceTable(s, "arp");
        return s.ToString();
    }

    private static void CheckShape(DataPlaneSpec spec, Ownership ownership)
    {
        if (ownership.Rules.Count != spec.Cluster.PortRules.Count)
        {
            throw new ArgumentException(
                $"the ownership has {ownership.Rules.Count} rules; the cluster has {spec.Cluster.PortRules.Count}", nameof(ownership));
        }
    }

    private static void ReplaceTable(StringBuilder s, string family)
    {
        s.AppendLine(Inv($"add table {family} {NftNames.Table}"));
        s.AppendLine(Inv($"delete table {family} {NftNames.Table}"));
    }

    private static void RenderSourceMacMask(StringBuilder s, DataPlaneSpec spec)
    {
        var primary = spec.Cluster.Vips[0];
        var cluster = ClusterMac.Format(ClusterMac.Unicast(primary));
        var masked = ClusterMac.Format(ClusterMac.MaskedSource(spec.HostPriority, primary));
        ReplaceTable(s, "netdev");
        s.AppendLine(Inv($"table netdev {NftNames.Table} {{"));
        s.AppendLine("  chain egress {");
        s.AppendLine(Inv($"    type filter hook egress device \"{spec.Interface}\" priority 0; policy accept;"));
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
        s.AppendLine("    type filter hook output priority 0; policy accept;");
        // Requests too, not only replies: a host that answers a client from the VIP asks for the
        // client's MAC with the VIP as sender address, and every neighbour that hears it would
        // otherwise learn the VIP at this one host's own MAC.
        s.AppendLine(Inv($"    arp saddr ip {{ {vips} }} arp saddr ether set {multicast}"));
        s.AppendLine("  }");
        s.AppendLine("}");
    }
}
