using System.Globalization;
using System.Net;
using System.Net.Sockets;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.DataPlane;
using OpenNlb.Core.Hashing;
using OpenNlb.Core.Query;
using OpenNlb.Linux.Conntrack;
using OpenNlb.Linux.Nftables;

namespace OpenNlb.Daemon;

/// <summary>
/// What this host's kernel holds about one flow, for `nlb owner`: whether the flow is a UDP flow
/// another host keeps, whether its client is an extended-affinity client another host keeps or
/// this host keeps, and this host's conntrack entry for it. Read on demand, off the loop.
/// </summary>
internal sealed class FlowFactsReader(DataPlaneSpec spec)
{
    private readonly ConntrackTable _conntrack = new();

    public async Task<FlowFacts> ReadAsync(FlowQuery flow, CancellationToken ct)
    {
        // The data plane holds IPv4 only: nothing of an IPv6 flow can be in it.
        if (flow.Client.AddressFamily != AddressFamily.InterNetwork || flow.Vip.AddressFamily != AddressFamily.InterNetwork)
        {
            return FlowFacts.None;
        }

        var place = FlowPlace.Of(spec, flow.Protocol, flow.Client, flow.ClientPort, flow.Vip, flow.Port);
        bool foreignFlow = false, foreignClient = false, affinityClient = false;
        using (var nft = new NftablesContext())
        {
            if (flow.Protocol == Protocol.Udp && flow.ClientPort > 0)
            {
                string[] key = [flow.Client.ToString(), flow.ClientPort.ToString(CultureInfo.InvariantCulture), flow.Vip.ToString(), flow.Port.ToString(CultureInfo.InvariantCulture)];
                foreignFlow = Holds(nft, NftNames.ForeignFlows, key);
            }

            if (place.Rule is { } rule && spec.HasClientSets(rule))
            {
                string[] key = [ClientKey(spec.Cluster.PortRules[rule].Affinity, flow.Client)];
                foreignClient = Holds(nft, NftNames.ForeignClients(rule), key);
                affinityClient = Holds(nft, NftNames.Clients(rule), key);
            }
        }

        var entries = await _conntrack.FindAsync(flow.Protocol, flow.Client, flow.ClientPort, flow.Vip, flow.Port, ct);
        var connection = entries.Count switch
        {
            0 => null,
            1 => entries[0].TcpState ?? "udp",
            var n => string.Create(CultureInfo.InvariantCulture, $"{n} entries, the first {entries[0].TcpState ?? "udp"}"),
        };
        return new FlowFacts(foreignFlow, foreignClient, affinityClient, connection);
    }

    /// <summary>
    /// Lists the set and looks: `nft get element` would be cheaper, but nft 1.0.6 spins forever on
    /// an empty set of concatenations (seen on foreign_flows). A set that is not there (the table
    /// is being replaced, at start or stop) holds nothing.
    /// </summary>
    private static bool Holds(NftablesContext nft, string set, string[] key)
    {
        try
        {
            return NftSetReader.List(nft, NftNames.Table, set).Any(e => e.Key.SequenceEqual(key));
        }
        catch (NftablesException e) when (e.Message.Contains("No such file or directory", StringComparison.Ordinal))
        {
            return false;
        }
    }

    /// <summary>The client as the sets hold it: masked to its network under network affinity.</summary>
    private static string ClientKey(Affinity affinity, IPAddress client)
    {
        Span<byte> key = stackalloc byte[FlowHash.MaxKeyLength];
        var length = FlowHash.WriteKey(affinity, client, 0, key);
        return new IPAddress(key[..length]).ToString();
    }
}
