using System.Net;
using System.Net.Sockets;
using System.Text;
using OpenNlb.Core.Convergence;
using OpenNlb.Core.Hashing;
using static OpenNlb.Core.DataPlane.NftText;

namespace OpenNlb.Core.DataPlane;

/// <summary>The hold and the foreign entries of a hand-over, as nft scripts.</summary>
internal static class HandoverRenderer
{
    /// <summary>
    /// Sets or clears the hold: while set, the -150 admission drops every packet conntrack has not
    /// confirmed, whatever its bucket. A host that must release everything (a peer that does not
    /// count it, a partition that healed, a drainstop) does so in one small transaction this way,
    /// before writing each owned bucket to kept, which takes many steps.
    /// </summary>
    public static string Hold(bool on) => on
        ? Inv($"flush set ip {NftNames.Table} {NftNames.Hold}\nadd element ip {NftNames.Table} {NftNames.Hold} {{ ip }}\n")
        : Inv($"flush set ip {NftNames.Table} {NftNames.Hold}\n");

    /// <summary>
    /// Adds what other hosts keep. Entries the ruleset cannot hold are skipped: anything not IPv4
    /// (the data plane is IPv4 only), clients of a rule without extended affinity (nothing keeps
    /// them), entries of a rule this configuration does not have.
    /// </summary>
    public static string Foreign(DataPlaneSpec spec, IEnumerable<HandoverFlow> flows, IEnumerable<HandoverClient> clients)
    {
        var s = new StringBuilder();
        var flow = Duration(spec.ForeignFlowTimeout);
        var flowElements = flows
            .Where(f => IsIPv4(f.Client) && IsIPv4(f.Vip) && IsPort(f.ClientPort) && IsPort(f.VipPort))
            .Select(f => Inv($"{V4(f.Client)} . {f.ClientPort} . {V4(f.Vip)} . {f.VipPort}"))
            .Distinct()
            .Select(e => $"{e} timeout {flow}")
            .ToList();
        if (flowElements.Count > 0)
        {
            s.AppendLine(Inv($"add element ip {NftNames.Table} {NftNames.ForeignFlows} {{ {string.Join(", ", flowElements)} }}"));
        }

        var rules = spec.Cluster.PortRules;
        foreach (var group in clients.Where(c => c.Rule >= 0 && c.Rule < rules.Count && spec.HasClientSets(c.Rule) && IsIPv4(c.Client)).GroupBy(c => c.Rule).OrderBy(g => g.Key))
        {
            var affinity = rules[group.Key].Affinity;
            var timeout = Duration(spec.AffinityTimeout(group.Key));
            var elements = group.Select(c => ClientKey(affinity, c.Client)).Distinct().Select(c => $"{c} timeout {timeout}");
            s.AppendLine(Inv($"add element ip {NftNames.Table} {NftNames.ForeignClients(group.Key)} {{ {string.Join(", ", elements)} }}"));
        }

        return s.ToString();
    }

    /// <summary>The client as the set holds it: masked to its network for network affinity, as the ruleset's key is.</summary>
    private static string ClientKey(Configuration.Affinity affinity, IPAddress client)
    {
        Span<byte> key = stackalloc byte[FlowHash.MaxKeyLength];
        var length = FlowHash.WriteKey(affinity, client, 0, key);
        return new IPAddress(key[..length]).ToString();
    }

    private static bool IsIPv4(IPAddress a) => a.AddressFamily == AddressFamily.InterNetwork || a.IsIPv4MappedToIPv6;

    private static bool IsPort(int p) => p is > 0 and <= ushort.MaxValue;

    private static string V4(IPAddress a) => (a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a).ToString();
}
