
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

    /// <summary>Up to MaxChanges of one phase's bucket changes of one rule.</summary>
    private static RuleOwnership Step(RuleOwnership now, RuleOwnership target, Phase phase)
    {
        var owned = now.Buckets.ToHashSet();
        var kept = now.KeptBuckets.ToHashSet();
        var targetOwned = target.Buckets.ToHashSet();
        var targetKept = target.KeptBuckets.ToHashSet();
        var budget = MaxChanges;
        switch (phase)
        {
            case Phase.Release:
                // Owned buckets leaving the share: to kept if the target keeps them, else gone.
                foreach (var b in now.Buckets.Where(b => !targetOwned.Contains(b)).Take(budget))
                {
                    owned.Remove(b);
                    if (targetKept.Contains(b))
                    {
                        kept.Add(b);
                    }
                }

                return new RuleOwnership(Sorted(owned), now.HandlesSingle && target.HandlesSingle, Sorted(kept), now.KeepsSingle || (now.HandlesSingle && target.KeepsSingle));
            case Phase.Claim:
                foreach (var b in target.Buckets.Where(b => !owned.Contains(b)).Take(budget))
                {
                    owned.Add(b);
                    kept.Remove(b);
                }

                return new RuleOwnership(Sorted(owned), now.HandlesSingle || target.HandlesSingle, Sorted(kept), now.KeepsSingle && !target.HandlesSingle);
            default:
                return target;
        }
    }

    private static int[] Sorted(HashSet<int> set)
    {
        var array = set.ToArray();
        Array.Sort(array);
        return array;
    }

    private static RuleOwnership[] Replace(IReadOnlyList<RuleOwnership> rules, int index, RuleOwnership rule)
    {
        var copy = rules.ToArray();
        copy[index] = rule;
        return copy;
    }
}
