namespace OpenNlb.Core.DataPlane;

/// <summary>
/// Splits a move from one ownership to another into steps of at most <see cref="MaxChanges"/>
/// bucket changes: a takeover first, then releases, then claims, then the heir sets, then the rest. Every intermediate state is safe:
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

        // A takeover first, before anything else the move holds: it is what a dead host's clients
        // wait for, and it is one small transaction (StandbySteps).
        if (StandbySteps.Takeover(from, to) is { } taken)
        {
            current = taken;
            yield return current;
        }

        foreach (var phase in new[] { Phase.Release, Phase.Claim, Phase.Rest })
        {
            for (var i = 0; i < to.Rules.Count; i++)
            {
                while (true)
                {
                    var next = Step(current.Rules[i], to.Rules[i], phase);
                    if (next.Equals(current.Rules[i]))
                    {
                        break;
                    }

                    current = current with { Rules = Replace(current.Rules, i, next) };
                    yield return current;
                }
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

    private enum Phase
    {
        Release,
        Claim,
        Rest,
    }

    /// <summary>Up to MaxChanges of one phase's bucket changes of one rule (bitmaps: <see cref="BucketBitmap"/>).</summary>
    private static RuleOwnership Step(RuleOwnership now, RuleOwnership target, Phase phase)
    {
        var size = BucketBitmap.SizeFor(now.Buckets, now.KeptBuckets, target.Buckets, target.KeptBuckets);
        var owned = BucketBitmap.Of(now.Buckets, size);
        var kept = BucketBitmap.Of(now.KeptBuckets, size);
        var budget = MaxChanges;
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

                return new RuleOwnership(BucketBitmap.Indices(owned), now.HandlesSingle && target.HandlesSingle, BucketBitmap.Indices(kept), now.KeepsSingle || (now.HandlesSingle && target.KeepsSingle));
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

                return new RuleOwnership(BucketBitmap.Indices(owned), now.HandlesSingle || target.HandlesSingle, BucketBitmap.Indices(kept), now.KeepsSingle && !target.HandlesSingle);
            default:
                return target;
        }
    }

    private static RuleOwnership[] Replace(IReadOnlyList<RuleOwnership> rules, int index, RuleOwnership rule)
    {
        var copy = rules.ToArray();
        copy[index] = rule;
        return copy;
    }
}
