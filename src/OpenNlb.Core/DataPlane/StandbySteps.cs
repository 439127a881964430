namespace OpenNlb.Core.DataPlane;

/// <summary>
/// The steps of a move that concern <see cref="Ownership.Standbys"/>. A takeover, or a claim of a
/// dead peer's heirs (<see cref="ClaimThrough"/>), goes first (before the releases) and alone when
/// the kernel already holds the peer's heir sets. The rest goes after the bucket maps
/// have moved: taking a peer back out of takeover only once the buckets kept are in the maps (no
/// moment without an owner), then the heir sets in steps of <see cref="OwnershipSteps.MaxChanges"/>
/// (harmless in any order: a set counts only while its peer is taken over, and a peer's set never
/// changes while it is), then the takeovers whose sets were not written yet.
/// </summary>
public static class StandbySteps
{
    /// <summary>
    /// <paramref name="from"/> with the peers <paramref name="to"/> takes over and whose sets the
    /// kernel already holds, and the single-host rules and default host <paramref name="to"/>
    /// takes; null if there is no such takeover.
    /// </summary>
    public static Ownership? Takeover(Ownership from, Ownership to)
    {
        var taking = to.StandbyPeers
            .Where(p => p.Active && Find(from, p.Peer) is { Active: false } held && held.SameBuckets(p))
            .Select(p => p.Peer)
            .ToHashSet();
        if (taking.Count == 0)
        {
            return null;
        }

        var rules = from.Rules.Zip(to.Rules, (now, target) => target.HandlesSingle && !now.HandlesSingle
            ? now with { HandlesSingle = true, KeepsSingle = false }
            : now).ToArray();
        var takesDefault = to.IsDefaultHost && !from.IsDefaultHost;
        return @from with
        {
            Rules = rules,
            IsDefaultHost = from.IsDefaultHost || takesDefault,
            KeepsDefault = from.KeepsDefault && !takesDefault,
            Standbys = from.StandbyPeers.Select(p => taking.Contains(p.Peer) ? p with { Active = true } : p).ToArray(),
        };
    }

    /// <summary>
    /// <paramref name="from"/> with the standby switched on of every peer whose heirs, as the kernel
    /// holds them, <paramref name="to"/> claims whole and not yet taken over: the new map without a
    /// peer that died gives each survivor exactly its heirs of it, computed from the map before
    /// (docs/convergence.md, "Claiming through the heir sets"). One small transaction instead of
    /// thousands of map elements; the bucket maps are written after, a step at a time, and the
    /// standby switched off once they hold the buckets. Accepts nothing <paramref name="to"/> does
    /// not own, so it is as safe as any partial claim. Null if no peer qualifies.
    /// </summary>
    public static Ownership? ClaimThrough(Ownership from, Ownership to)
    {
        var claiming = from.StandbyPeers
            .Where(p => !p.Active && Find(to, p.Peer) is { } target && target.SameBuckets(p) && ClaimsWhole(from, to, p))
            .Select(p => p.Peer)
            .ToHashSet();
        return claiming.Count == 0
            ? null
            : @from with { Standbys = @from.StandbyPeers.Select(p => claiming.Contains(p.Peer) ? p with { Active = true } : p).ToArray() };
    }

    /// <summary>Every heir bucket of <paramref name="peer"/> is owned in <paramref name="to"/>, and some are not yet in <paramref name="from"/>.</summary>
    private static bool ClaimsWhole(Ownership from, Ownership to, Standby peer)
    {
        var anyNew = false;
        for (var i = 0; i < to.Rules.Count; i++)
        {
            var heirs = peer.Of(i);
            if (heirs.Count == 0)
            {
                continue;
            }

            var size = BucketBitmap.SizeFor(heirs, to.Rules[i].Buckets, from.Rules[i].Buckets);
            var owned = BucketBitmap.Of(to.Rules[i].Buckets, size);
            var held = BucketBitmap.Of(from.Rules[i].Buckets, size);
            foreach (var b in heirs)
            {
                if (!owned[b])
                {
                    return false;
                }

                anyNew |= !held[b];
            }
        }

        return anyNew;
    }

    /// <summary>From <paramref name="current"/> (bucket maps already moved) to <paramref name="to"/>'s standbys.</summary>
    public static IEnumerable<Ownership> Between(Ownership current, Ownership to)
    {
        // Out of takeover: peers no longer taken over, and any whose set would change.
        var keep = current.StandbyPeers.Select(p => p.Active && Find(to, p.Peer) is { Active: true } t && t.SameBuckets(p) ? p : p with { Active = false }).ToArray();
        if (!keep.SequenceEqual(current.StandbyPeers))
        {
            current = current with { Standbys = keep };
            yield return current;
        }

        foreach (var step in HeirSteps(current, to))
        {
            current = step;
            yield return current;
        }

        var active = current.StandbyPeers.Select(p => p with { Active = Find(to, p.Peer)?.Active ?? false }).ToArray();
        if (!active.SequenceEqual(current.StandbyPeers))
        {
            yield return current with { Standbys = active };
        }
    }

    private static IEnumerable<Ownership> HeirSteps(Ownership current, Ownership to)
    {
        var ruleCount = to.Rules.Count;
        var work = new SortedDictionary<int, (bool Active, HashSet<int>[] Rules)>();
        foreach (var p in current.StandbyPeers)
        {
            work[p.Peer] = (p.Active, Enumerable.Range(0, ruleCount).Select(i => p.Of(i).ToHashSet()).ToArray());
        }

        foreach (var p in to.StandbyPeers.Where(p => !work.ContainsKey(p.Peer)))
        {
            work[p.Peer] = (false, Enumerable.Range(0, ruleCount).Select(_ => new HashSet<int>()).ToArray());
        }

        var budget = OwnershipSteps.MaxChanges;
        var changed = false;
        foreach (var (peer, (_, rules)) in work)
        {
            var target = Find(to, peer);
            for (var i = 0; i < ruleCount; i++)
            {
                var want = target?.Of(i) ?? [];
                var wanted = want.ToHashSet();
                var changes = rules[i].Where(b => !wanted.Contains(b)).Select(b => (Bucket: b, Add: false))
                    .Concat(want.Where(b => !rules[i].Contains(b)).Select(b => (Bucket: b, Add: true)))
                    .ToList();
                foreach (var (bucket, add) in changes)
                {
                    if (budget == 0)
                    {
                        yield return Snapshot(current, work);
                        budget = OwnershipSteps.MaxChanges;
                    }

                    _ = add ? rules[i].Add(bucket) : rules[i].Remove(bucket);
                    budget--;
                    changed = true;
                }
            }
        }

        if (changed)
        {
            yield return Snapshot(current, work);
        }
    }

    private static Ownership Snapshot(Ownership current, SortedDictionary<int, (bool Active, HashSet<int>[] Rules)> work) =>
        current with
        {
            Standbys = work.Select(w => new Standby(w.Key, w.Value.Rules.Select(Sorted).ToArray(), w.Value.Active)).ToArray(),
        };

    private static IReadOnlyList<int> Sorted(HashSet<int> set)
    {
        var array = set.ToArray();
        Array.Sort(array);
        return array;
    }

    private static Standby? Find(Ownership ownership, int peer) => ownership.StandbyPeers.FirstOrDefault(p => p.Peer == peer);
}
