using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.DataPlane;

namespace OpenNlb.Core.Convergence;

/// <summary>
/// What this host accepts, per port rule: owned buckets (new and existing flows) and kept buckets
/// (existing flows only), and the same two flags for single-host rules and the default host. The
/// one mutable piece of <see cref="ConvergenceNode"/>, hidden behind three moves: release (owned
/// to kept), claim (to owned), retire (kept to nothing).
/// </summary>
internal sealed class LocalShare
{
    private readonly IReadOnlyList<PortRule> _rules;
    private readonly bool[][] _owned;
    private readonly bool[][] _kept;
    private readonly bool[] _ownedSingle;
    private readonly bool[] _keptSingle;
    private bool _ownedDefault;
    private bool _keptDefault;
    private Ownership? _snapshot;

    public LocalShare(IReadOnlyList<PortRule> rules, int bucketCount, bool keepEverything, KeptUsage? onlyThese = null)
    {
        _rules = rules;
        _owned = rules.Select(r => new bool[r.Filtering == FilteringMode.Multiple ? bucketCount : 0]).ToArray();
        _kept = rules.Select(r => Enumerable.Repeat(keepEverything, r.Filtering == FilteringMode.Multiple ? bucketCount : 0).ToArray()).ToArray();
        _ownedSingle = new bool[rules.Count];
        _keptSingle = rules.Select(r => keepEverything && r.Filtering == FilteringMode.Single).ToArray();
        _keptDefault = keepEverything;
        if (keepEverything && onlyThese is not null)
        {
            Retain(onlyThese);
        }
    }

    /// <summary>Owned buckets outside the share become kept. Always safe: it only narrows new flows.</summary>
    public void Release(Share share)
    {
        for (var i = 0; i < _rules.Count; i++)
        {
            var owned = _owned[i];
            for (var b = 0; b < owned.Length; b++)
            {
                if (owned[b] && !share.Owns(i, b))
                {
                    owned[b] = false;
                    _kept[i][b] = true;
                    _snapshot = null;
                }
            }

            if (_ownedSingle[i] && !share.HandlesSingle(i))
            {
                (_ownedSingle[i], _keptSingle[i], _snapshot) = (false, true, null);
            }
        }

        if (_ownedDefault && !share.IsDefault)
        {
            (_ownedDefault, _keptDefault, _snapshot) = (false, true, null);
        }
    }

    /// <summary>Owns exactly the share (kept buckets that come back become owned).</summary>
    public void Claim(Share share)
    {
        for (var i = 0; i < _rules.Count; i++)
        {
            var owned = _owned[i];
            for (var b = 0; b < owned.Length; b++)
            {
                var mine = share.Owns(i, b);
                if (mine != owned[b])
                {
                    owned[b] = mine;
                    _snapshot = null;
                }

                if (mine && _kept[i][b])
                {
                    _kept[i][b] = false;
                    _snapshot = null;
                }
            }

            var single = share.HandlesSingle(i);
            if (single != _ownedSingle[i] || (single && _keptSingle[i]))
            {
                (_ownedSingle[i], _snapshot) = (single, null);
                _keptSingle[i] &= !single;
            }
        }

        if (share.IsDefault != _ownedDefault || (share.IsDefault && _keptDefault))
        {
            (_ownedDefault, _snapshot) = (share.IsDefault, null);
            _keptDefault &= !share.IsDefault;
        }
    }

    /// <summary>Owns the share as well as what it owns (kept buckets that come back become owned); releases nothing.</summary>
    public void ClaimAlso(Share share)
    {
        for (var i = 0; i < _rules.Count; i++)
        {
            var owned = _owned[i];
            for (var b = 0; b < owned.Length; b++)
            {
                if (!owned[b] && share.Owns(i, b))
                {
                    (owned[b], _kept[i][b], _snapshot) = (true, false, null);
                }
            }

            if (!_ownedSingle[i] && share.HandlesSingle(i))
            {
                (_ownedSingle[i], _keptSingle[i], _snapshot) = (true, false, null);
            }
        }

        if (!_ownedDefault && share.IsDefault)
        {
            (_ownedDefault, _keptDefault, _snapshot) = (true, false, null);
        }
    }

    /// <summary>Drops everything, owned and kept, for all rules or one (stop, disable).</summary>
    public void DropAll(int? rule = null)
    {
        for (var i = 0; i < _rules.Count; i++)
        {
            if (rule is { } only && only != i)
            {
                continue;
            }

            Array.Clear(_owned[i]);
            Array.Clear(_kept[i]);
            (_ownedSingle[i], _keptSingle[i]) = (false, false);
        }

        if (rule is null)
        {
            (_ownedDefault, _keptDefault) = (false, false);
        }

        _snapshot = null;
    }

    /// <summary>Kept buckets not listed as still in use are retired: nothing of theirs is left to serve.</summary>
    public void Retain(KeptUsage inUse)
    {
        for (var i = 0; i < _rules.Count; i++)
        {
            var kept = _kept[i];
            for (var b = 0; b < kept.Length; b++)
            {
                if (kept[b] && !inUse.Bucket(i, b))
                {
                    kept[b] = false;
                    _snapshot = null;
                }
            }

            if (_keptSingle[i] && !inUse.Single(i))
            {
                (_keptSingle[i], _snapshot) = (false, null);
            }
        }

        if (_keptDefault && !inUse.Default)
        {
            (_keptDefault, _snapshot) = (false, null);
        }
    }

    public bool KeepsAnything =>
        _keptDefault || _keptSingle.Any(k => k) || _kept.Any(k => Array.IndexOf(k, true) >= 0);

    public bool OwnsAnything =>
        _ownedDefault || _ownedSingle.Any(k => k) || _owned.Any(k => Array.IndexOf(k, true) >= 0);

    public bool Owns(int rule, int bucket) => _owned[rule][bucket];

    public bool OwnsSingle(int rule) => _ownedSingle[rule];

    public bool OwnsDefault => _ownedDefault;

    public Ownership Snapshot() => _snapshot ??= new Ownership(
        _rules.Select((r, i) => new RuleOwnership(BucketBitmap.Indices(_owned[i]), _ownedSingle[i], BucketBitmap.Indices(_kept[i]), _keptSingle[i])).ToArray(),
        _ownedDefault,
        _keptDefault);
}
