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

    private Share(ClusterMap? map, int me, bool[] serving, bool started, PeerHeirs[] taken) =>
        (_map, _me, _serving, _started, _taken) = (map, me, serving, started, taken);

    public static Share Nothing(int ruleCount) => new(null, 0, new bool[ruleCount], started: false, []);

    public static Share Of(ClusterMap map, int me, IReadOnlyList<MemberRule> myRules, bool started, IEnumerable<PeerHeirs>? taken = null) =>
        new(map, me, myRules.Select(r => r.Serving).ToArray(), started, taken?.ToArray() ?? []);

    public bool Owns(int rule, int bucket) =>
        _started && _serving[rule] && _map is not null
        && _map.Rules[rule].Filtering == FilteringMode.Multiple
        && (_map.Rules[rule].OwnerOf(bucket) == _me || Inherits(rule, bucket));

    public bool HandlesSingle(int rule) =>
        _started && _serving[rule] && _map is not null
        && _map.Rules[rule].Filtering == FilteringMode.Single
        && (_map.Rules[rule].SingleOwner == _me || _taken.Any(t => t.HandlesSingle(rule)));

    public bool IsDefault => _started && _map is not null && (_map.DefaultHost == _me || _taken.Any(t => t.Default));

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
