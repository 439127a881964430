using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.DataPlane;

namespace OpenNlb.Core.Convergence;

/// <summary>
/// What this host inherits of one peer's share if that peer dies: the peer's buckets, single-host
/// rules and default that the map of the same proposal without the peer gives this host. Every
/// host computes it from the adopted proposal, which they all hold, so the heirs of a peer's
/// buckets are disjoint without a word exchanged, and the map the coordinator then proposes (the
/// same members less the dead one) gives each bucket to the host that took it over.
/// </summary>
internal sealed class PeerHeirs
{
    private readonly bool[][] _buckets;
    private readonly bool[] _single;

    private PeerHeirs(int peer, bool[][] buckets, bool[] single, bool isDefault) =>
        (Peer, _buckets, _single, Default) = (peer, buckets, single, isDefault);

    public int Peer { get; }

    public bool Default { get; }

    /// <param name="map">The map of <paramref name="adopted"/>.</param>
    public static PeerHeirs Of(ClusterConfig cluster, Proposal adopted, ClusterMap map, int me, int peer, int bucketCount)
    {
        var rules = cluster.PortRules;
        var buckets = rules.Select(r => new bool[r.Filtering == FilteringMode.Multiple ? bucketCount : 0]).ToArray();
        var single = new bool[rules.Count];
        var rest = adopted.Members.Where(m => m.Priority != peer).ToArray();
        if (rest.Length == 0 || !rest.Any(m => m.Priority == me))
        {
            return new PeerHeirs(peer, buckets, single, isDefault: false);
        }

        var without = BucketAllocator.Allocate(cluster, rest, bucketCount);
        for (var i = 0; i < rules.Count; i++)
        {
            var (before, after) = (map.Rules[i], without.Rules[i]);
            if (rules[i].Filtering == FilteringMode.Multiple)
            {
                var owners = before.Owners;
                var heirs = after.Owners;
                for (var b = 0; b < buckets[i].Length; b++)
                {
                    buckets[i][b] = owners[b] == peer && heirs[b] == me;
                }
            }
            else if (rules[i].Filtering == FilteringMode.Single)
            {
                single[i] = before.SingleOwner == peer && after.SingleOwner == me;
            }
        }

        return new PeerHeirs(peer, buckets, single, map.DefaultHost == peer && without.DefaultHost == me);
    }

    public bool Owns(int rule, int bucket) => bucket < _buckets[rule].Length && _buckets[rule][bucket];

    public bool HandlesSingle(int rule) => _single[rule];

    /// <summary>For the kernel: the inherited buckets, per rule, sorted.</summary>
    public Standby ToStandby(bool active) => new(Peer, _buckets.Select(BucketBitmap.Indices).ToArray(), active);
}
