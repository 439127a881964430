namespace OpenNlb.Core.DataPlane;

/// <summary>
/// Splits a move from one ownership to another into steps of at most <see cref="MaxChanges"/>
/// bucket changes: a takeover or a claim through heir sets first, then releases, then claims, then the rest, then the heir sets. Every intermediate state is safe:
/// a partial release only narrows what the last heartbeat promised, and a partial claim owns a
/// subset of the share that all hosts agreed on. Small transactions let the lease renewal and the
/// heartbeat watchdog in between: the kernel runs one nftables transaction at a time, and a claim
/// of 20,000 map elements holds that lock for hundreds of milliseconds on a busy machine.
/// </summary>
public static class OwnershipSteps
{
    /// <summary>
    /// 2,048: a step of 4,096 changes took over 150 ms on a loaded 2-core machine, as long as
    /// the lease was then; smaller steps cost a few more transactions on a large move.
    /// </summary>
    public const int MaxChanges = 2048;

    /// <summary>
    /// How the kernel holds an ownership: buckets of a peer taken over stay in its heir set, out of
    /// the bucket maps, for as long as it is taken over. Writing them into the maps would cost
    /// thousands of elements, in steps that hold the loop, at the very moment a partition that
    /// healed must be answered by giving them back (one rule less per chain); they go into the
    /// maps when the peer stops being taken over and the host still owns them (the new map).
    /// </summary>
    public static Ownership InKernel(Ownership ownership)
    {
        var active = ownership.StandbyPeers.Where(p => p.Active).ToList();
        if (active.Count == 0)
        {
            return ownership;
        }

        var rules = ownership.Rules.Select((rule, i) =>
        {
            var held = active.SelectMany(p => p.Of(i)).ToHashSet();
            return held.Count == 0 ? rule : rule with { Buckets = rule.Buckets.Where(b => !held.Contains(b)).ToArray() };
        }).ToArray();
        return ownership with { Rules = rules };
    }

    /// <param name="to">As the kernel holds it (<see cref="InKernel"/>).</param>
    public static IEnumerable<Ownership> Between(Ownership from, Ownership to)
    {
        var current = from;

        // First of all, even before the releases: a takeover, or a claim of a dead peer's heirs.
        // Either is what that peer's clients wait for, and one small transaction (StandbySteps);
        // neither touches a bucket this host releases (a dead peer's buckets were never this
        // host's to release), and each is a subset of what this host may take.
        if ((StandbySteps.Takeover(current, to) ?? StandbySteps.ClaimThrough(current, to)) is { } taken)
        {
            current = taken;
            yield return current;
        }

        foreach (var phase in new[] { Phase.Release, Phase.Claim, Phase.Rest })
        {
            // The default host's traffic with the releases and claims, not after the heir sets
            // (which are written a step per turn of the loop): a new default host that waited for
            // them left ICMP and uncovered traffic unanswered for as long (seen: a lost ping).
            if (DefaultStep(current, to, phase) is { } defaultStep)
            {
                current = defaultStep;
                yield return current;
            }

            // Up to MaxChanges per step across the rules, not per rule: each step is a transaction,
            // and a failover's few releases in each of four rules were four of them (5 to 20 ms
            // each on a loaded machine) before the heartbeat a peer waits for could leave.
            while (true)
            {
                var rules = current.Rules.ToArray();
                var budget = MaxChanges;
                for (var i = 0; i < rules.Length && budget > 0; i++)
                {
                    var (next, changes) = Step(rules[i], to.Rules[i], phase, budget);
                    if (!next.Equals(rules[i]))
                    {
                        rules[i] = next;
                        budget -= Math.Max(1, changes);
                    }
                }

                if (budget == MaxChanges)
                {
                    break;
                }

                current = current with { Rules = rules };
                yield return current;
            }
        }

        foreach (var step in StandbySteps.Between(current, to))
        {
            current = step;
            yield return current;
        }

        if (!current.Equals(to))
        {
            yield return to;
        }
    }

    /// <summary>
    /// Whether <paramref name="wide"/> accepts new flows wherever <paramref name="narrow"/> does
    /// (buckets in the maps or in the heir set of a peer taken over, single-host rules, the
    /// default host's traffic). When the target of a move does so of where the kernel is, what is
    /// left of the move releases nothing, and may wait for the loop's next turn: the heartbeat
    /// goes out first.
    /// </summary>
    public static bool AcceptsNewWherever(Ownership wide, Ownership narrow)
    {
        if (narrow.IsDefaultHost && !wide.IsDefaultHost)
        {
            return false;
        }

        for (var i = 0; i < narrow.Rules.Count; i++)
        {
            if (narrow.Rules[i].HandlesSingle && !wide.Rules[i].HandlesSingle)
            {
                return false;
            }

            var narrowNew = NewFlowBuckets(narrow, i);
            var wideNew = NewFlowBuckets(wide, i);
            var size = BucketBitmap.SizeFor(narrowNew, wideNew);
            var accepted = BucketBitmap.Of(wideNew, size);
            if (narrowNew.Any(b => !accepted[b]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether a kernel holding <paramref name="kernel"/> already does what <paramref name="target"/>
    /// says, whatever heir-set steps are left: it takes new flows exactly where the target does, and
    /// keeps old flows nowhere the target does not. What a host reports as converged. Kept buckets
    /// left over count: the -300 chain accepts their packets (and counts them as accepted) before
    /// -150 drops the new flows among them, so a host that said "converged" with thousands of them
    /// still to clear was seen counting its peers' datagrams in the end-to-end tests.
    /// </summary>
    public static bool Serves(Ownership kernel, Ownership target)
    {
        if (!AcceptsNewWherever(kernel, target) || !AcceptsNewWherever(target, kernel)
            || (kernel.KeepsDefault && !target.KeepsDefault && !target.IsDefaultHost))
        {
            return false;
        }

        for (var i = 0; i < kernel.Rules.Count; i++)
        {
            var (now, then) = (kernel.Rules[i], target.Rules[i]);
            if (now.KeepsSingle && !then.KeepsSingle && !then.HandlesSingle)
            {
                return false;
            }

            var targetNew = NewFlowBuckets(target, i);
            var size = BucketBitmap.SizeFor(now.KeptBuckets, then.KeptBuckets, targetNew);
            var covered = BucketBitmap.Of(then.KeptBuckets, size);
            foreach (var b in targetNew)
            {
                covered[b] = true;
            }

            if (now.KeptBuckets.Any(b => !covered[b]))
            {
                return false;
            }
        }

        return true;
    }

    private static IReadOnlyList<int> NewFlowBuckets(Ownership o, int rule)
    {
        var active = o.StandbyPeers.Where(p => p.Active && p.Of(rule).Count > 0).ToList();
        return active.Count == 0 ? o.Rules[rule].Buckets : [.. o.Rules[rule].Buckets, .. active.SelectMany(p => p.Of(rule))];
    }

    private static Ownership? DefaultStep(Ownership current, Ownership to, Phase phase) => phase switch
    {
        Phase.Release when current.IsDefaultHost && !to.IsDefaultHost => current with { IsDefaultHost = false, KeepsDefault = to.KeepsDefault },
        Phase.Claim when !current.IsDefaultHost && to.IsDefaultHost => current with { IsDefaultHost = true, KeepsDefault = false },
        _ => null,
    };

    private enum Phase
    {
        Release,
        Claim,
        Rest,
    }

    /// <summary>Up to <paramref name="budget"/> of one phase's bucket changes of one rule, and how many it made (bitmaps: <see cref="BucketBitmap"/>).</summary>
    private static (RuleOwnership Rule, int Changes) Step(RuleOwnership now, RuleOwnership target, Phase phase, int budget)
    {
        var size = BucketBitmap.SizeFor(now.Buckets, now.KeptBuckets, target.Buckets, target.KeptBuckets);
        var owned = BucketBitmap.Of(now.Buckets, size);
        var kept = BucketBitmap.Of(now.KeptBuckets, size);
        var allowed = budget;
        switch (phase)
        {
            case Phase.Release:
                // Owned buckets leaving the share: to kept if the target keeps them, else gone.
                var targetOwned = BucketBitmap.Of(target.Buckets, size);
                var targetKept = BucketBitmap.Of(target.KeptBuckets, size);
                foreach (var b in now.Buckets)
                {
                    if (budget == 0)
                    {
                        break;
                    }

                    if (!targetOwned[b])
                    {
                        owned[b] = false;
                        kept[b] |= targetKept[b];
                        budget--;
                    }
                }

                return (new RuleOwnership(BucketBitmap.Indices(owned), now.HandlesSingle && target.HandlesSingle, BucketBitmap.Indices(kept), now.KeepsSingle || (now.HandlesSingle && target.KeepsSingle)), allowed - budget);
            case Phase.Claim:
                foreach (var b in target.Buckets)
                {
                    if (budget == 0)
                    {
                        break;
                    }

                    if (!owned[b])
                    {
                        owned[b] = true;
                        kept[b] = false;
                        budget--;
                    }
                }

                return (new RuleOwnership(BucketBitmap.Indices(owned), now.HandlesSingle || target.HandlesSingle, BucketBitmap.Indices(kept), now.KeepsSingle && !target.HandlesSingle), allowed - budget);
            default:
                return (target, now.KeptBuckets.Count + target.KeptBuckets.Count);
        }
    }
}
