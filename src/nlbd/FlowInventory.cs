using System.Net;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Convergence;
using OpenNlb.Core.DataPlane;
using OpenNlb.Core.Query;
using OpenNlb.Linux.Conntrack;
using OpenNlb.Linux.Nftables;

namespace OpenNlb.Daemon;

/// <summary>
/// What this host's kernel holds: its conntrack entries for the VIPs and its extended-affinity
/// clients, placed in rules and buckets by the hash model. From them: the hand-over (flows and
/// clients in kept buckets) and which kept buckets still serve something.
/// </summary>
internal sealed class FlowInventory(DataPlaneSpec spec)
{
    private readonly ConntrackTable _conntrack = new();

    /// <summary>
    /// Forgets this host's UDP conntrack entries for the VIPs (at start: the others served those
    /// flows while the daemon was away). Returns how many there were.
    /// </summary>
    public Task<int> ForgetUdpAsync(CancellationToken ct) => _conntrack.DeleteUdpAsync(spec.Cluster.Vips, ct);

    public async Task<(IReadOnlyList<HandoverFlow> Flows, IReadOnlyList<HandoverClient> Clients)> CollectHandoverAsync(Ownership kept)
    {
        // Nothing kept, nothing to hand over: no conntrack listing (a process per VIP, tens of
        // milliseconds on a loaded host) on the way to a claim. A failover is such a case: the
        // survivors' shares only grow, so they release nothing.
        if (!kept.KeepsAnything())
        {
            return ([], []);
        }

        var entries = await _conntrack.ListAsync(spec.Cluster.Vips);
        var keptSets = kept.Rules.Select(r => BucketBitmap.Of(r.KeptBuckets, spec.BucketCount)).ToArray();
        var flows = new List<HandoverFlow>();
        foreach (var e in entries.Where(e => e.Protocol == Protocol.Udp))
        {
            var place = FlowPlace.Of(spec, e.Protocol, e.Client, e.ClientPort, e.Vip, e.VipPort);
            if (IsKept(kept, keptSets, place))
            {
                flows.Add(new HandoverFlow(place.Rule ?? -1, e.Client, e.ClientPort, e.Vip, e.VipPort));
            }
        }

        var clients = Clients()
            .Where(c => keptSets[c.Rule][FlowPlace.ClientBucket(spec, c.Rule, c.Client)])
            .ToList();

        // Flows no rule covers belong to the default host; the wire carries rule indices only.
        return (flows.Where(f => f.Rule >= 0).ToList(), clients);
    }

    /// <summary>Kept buckets (and kept single-host rules, and kept default traffic) that still have a flow or a client.</summary>
    public async Task<KeptUsage> KeptUsageAsync(Ownership current)
    {
        var rules = spec.Cluster.PortRules.Count;
        var buckets = Enumerable.Range(0, rules).Select(_ => new HashSet<int>()).ToArray();
        var single = new bool[rules];
        var uncovered = false;
        foreach (var e in await _conntrack.ListAsync(spec.Cluster.Vips))
        {
            if (e.IsClosed)
            {
                continue;
            }

            var place = FlowPlace.Of(spec, e.Protocol, e.Client, e.ClientPort, e.Vip, e.VipPort);
            switch (place)
            {
                case { Rule: null }:
                    uncovered = true;
                    break;
                case { Rule: { } r, Bucket: { } b }:
                    buckets[r].Add(b);
                    break;
                case { Rule: { } r }:
                    single[r] = true;
                    break;
            }
        }

        foreach (var c in Clients())
        {
            buckets[c.Rule].Add(FlowPlace.ClientBucket(spec, c.Rule, c.Client));
        }

        return new KeptUsage(buckets, single, uncovered);
    }

    /// <summary>This host's extended-affinity clients, from the kernel's client sets.</summary>
    private List<HandoverClient> Clients()
    {
        var clients = new List<HandoverClient>();
        using var nft = new NftablesContext();
        for (var rule = 0; rule < spec.Cluster.PortRules.Count; rule++)
        {
            if (!spec.HasClientSets(rule))
            {
                continue;
            }

            try
            {
                var elements = NftSetReader.List(nft, DataPlaneSpec.TableName, NftNames.Clients(rule));
                clients.AddRange(NftSetReader.Addresses(elements).Select(a => new HandoverClient(rule, a)));
            }
            catch (NftablesException)
            {
                // The table is being replaced (start or stop): nothing to hand over from it.
            }
        }

        return clients;
    }

    private static bool IsKept(Ownership kept, bool[][] keptSets, FlowPlace place) => place switch
    {
        { Rule: null } => kept.KeepsDefault,
        { Rule: { } r, Bucket: { } b } => keptSets[r][b],
        { Rule: { } r } => kept.Rules[r].KeepsSingle,
    };
}

internal static class OwnershipExtensions
{
    public static bool KeepsAnything(this Ownership o) => o.KeepsDefault || o.Rules.Any(r => r.KeepsSingle || r.KeptBuckets.Count > 0);
}
