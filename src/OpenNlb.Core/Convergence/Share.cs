using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;

namespace OpenNlb.Core.Convergence;

/// <summary>
/// This host's share of an adopted map, with what it inherited from the peers it took over,
/// narrowed by what the host itself currently allows: a host that drains, or has disabled or drains
/// a rule, owns none of it, even before a new map says so.
/// </summary>
internal sealed class Share
{
    private readonly ClusterMap? _map;
    private readonly int _me;
    private readonly bool[] _serving;
    private readonly bool _started;
    private readonly PeerHeirs[] _taken;

    /// <summary>When set, only what these members owned in that earlier map (<see cref="OnlyWhatWasOf"/>).</summary>
    private readonly (ClusterMap Before, IReadOnlySet<int> Gone)? _only;

    private Share(ClusterMap? map, int me, bool[] serving, bool started, PeerHeirs[] taken, (ClusterMap, IReadOnlySet<int>)? only = null) =>
        (_map, _me, _serving, _started, _taken, _only) = (map, me, serving, started, taken, only);

    public static Share Nothing(int ruleCount) => new(null, 0, new bool[ruleCount], started: false, []);

    public static Share Of(ClusterMap map, int me, IReadOnlyList<MemberRule> myRules, bool started, IEnumerable<PeerHeirs>? taken = null) =>
        new(map, me, myRules.Select(r => r.Serving).ToArray(), started, taken?.ToArray() ?? []);

    /// <summary>
    /// The part of this share that, in <paramref name="before"/>, belonged to one of
    /// <paramref name="gone"/>: the hosts that left between the two maps (docs/convergence.md,
    /// "Claiming a dead host's buckets").
    /// </summary>
    public Share OnlyWhatWasOf(ClusterMap before, IReadOnlySet<int> gone) =>
        new(_map, _me, _serving, _started, _taken, (before, gone));

    public bool Owns(int rule, int bucket) =>
        _started && _serving[rule] && _map is not null
        && _map.Rules[rule].Filtering == FilteringMode.Multiple
        && (_map.Rules[rule].OwnerOf(bucket) == _me || Inherits(rule, bucket))
        && (_only is not { } only || (only.Before.Rules[rule].Filtering == FilteringMode.Multiple && only.Gone.Contains(only.Before.Rules[rule].OwnerOf(bucket))));

    public bool HandlesSingle(int rule) =>
        _started && _serving[rule] && _map is not null
        && _map.Rules[rule].Filtering == FilteringMode.Single
        && (_map.Rules[rule].SingleOwner == _me || _taken.Any(t => t.HandlesSingle(rule)))
        && (_only is not { } only || (only.Before.Rules[rule].Filtering == FilteringMode.Single && only.Gone.Contains(only.Before.Rules[rule].SingleOwner)));

    public bool IsDefault =>
        _started && _map is not null && (_map.DefaultHost == _me || _taken.Any(t => t.Default))
        && (_only is not { } only || only.Gone.Contains(only.Before.DefaultHost));

    private bool Inherits(int rule, int bucket)
    {
        foreach (var heirs in _taken)
        {
            if (heirs.Owns(rule, bucket))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// Which kept buckets still have something to serve (a conntrack entry, or an extended-affinity
/// client), as the daemon last found them. Kept buckets not listed are retired.
/// </summary>
public sealed class KeptUsage(IReadOnlyList<IReadOnlySet<int>> buckets, IReadOnlyList<bool> single, bool defaultInUse)
{
    public bool Bucket(int rule, int bucket) => buckets[rule].Contains(bucket);

    public bool Single(int rule) => single[rule];

    public bool Default => defaultInUse;
}
