using OpenNlb.Core.DataPlane;
using Xunit;

namespace OpenNlb.Core.Tests.DataPlane;

public sealed class OwnershipStepsTests
{
    [Fact]
    public void RandomMoves_AreSplitIntoSmallSafeSteps_ReleasesBeforeClaims_EndingAtTheTarget()
    {
        var random = new Random(11);
        for (var run = 0; run < 200; run++)
        {
            var from = RandomOwnership(random);
            var to = RandomOwnership(random);
            var steps = OwnershipSteps.Between(from, to).ToList();
            Assert.Equal(to, steps.Count == 0 ? from : steps[^1]);

            var previous = from;
            var claiming = false;
            foreach (var step in steps)
            {
                var changes = 0;
                for (var r = 0; r < step.Rules.Count; r++)
                {
                    var was = previous.Rules[r].Buckets.ToHashSet();
                    var now = step.Rules[r].Buckets.ToHashSet();
                    var gained = now.Except(was).Count();
                    var lost = was.Except(now).Count();
                    changes += gained + lost;
                    Assert.True(changes <= OwnershipSteps.MaxChanges, $"run {run}: a step changes {changes} owned buckets, over its rules");

                    // Never owns what neither end owns, and never owns and keeps one bucket.
                    Assert.True(now.IsSubsetOf(from.Rules[r].Buckets.Union(to.Rules[r].Buckets)));
                    Assert.Empty(now.Intersect(step.Rules[r].KeptBuckets));
                    if (gained > 0)
                    {
                        claiming = true;
                    }
                    else if (lost > 0)
                    {
                        Assert.False(claiming, $"run {run}: a release came after a claim");
                    }
                }

                previous = step;
            }
        }
    }

    /// <summary>A few changes in each of several rules are one step (one transaction), not one per rule.</summary>
    [Fact]
    public void SmallChangesInSeveralRules_AreOneStep()
    {
        var from = new Ownership([new RuleOwnership([1, 2, 3], false), new RuleOwnership([1, 2, 3], false), new RuleOwnership([1, 2, 3], false)], IsDefaultHost: false);
        var to = new Ownership([new RuleOwnership([1, 2], false, [3]), new RuleOwnership([1, 2], false, [3]), new RuleOwnership([1, 2], false, [3])], IsDefaultHost: false);

        Assert.Equal([to], OwnershipSteps.Between(from, to));
    }

    /// <summary>Becoming the default host is a claim: it comes before the heir sets, which the kernel writes a step per turn of the loop.</summary>
    [Fact]
    public void DefaultHost_IsClaimedBeforeTheHeirSetsAreWritten()
    {
        var rules = new[] { new RuleOwnership([1, 2, 3], false), RuleOwnership.None };
        var from = new Ownership(rules, IsDefaultHost: false);
        var heirs = new Standby(2, [Enumerable.Range(100, 3 * OwnershipSteps.MaxChanges).ToArray(), []], Active: false);
        var to = new Ownership(rules, IsDefaultHost: true, Standbys: [heirs]);

        var steps = OwnershipSteps.Between(from, to).ToList();

        Assert.True(steps.Count > 3);
        Assert.True(steps[0].IsDefaultHost);
        Assert.Empty(steps[0].StandbyPeers);
        Assert.Equal(to, steps[^1]);
    }

    /// <summary>
    /// A host that released everything and then claims its share serves once the claims are in and
    /// the buckets it kept are cleared, not before (their packets would still count as accepted
    /// here), and not only after the heir sets.
    /// </summary>
    [Fact]
    public void Serves_OnceClaimsAndLeftoverKeptBucketsAreWritten_NotWaitingForTheHeirSets()
    {
        var all = Enumerable.Range(0, 3 * OwnershipSteps.MaxChanges).ToArray();
        var from = new Ownership([new RuleOwnership([], false, all), new RuleOwnership([], false, all)], IsDefaultHost: false, KeepsDefault: true);
        var share = all.Where(b => b % 3 == 0).ToArray();
        var heirs = new Standby(2, [all.Where(b => b % 3 == 1).ToArray(), []], Active: false);
        var to = new Ownership([new RuleOwnership(share, false), new RuleOwnership(share, false)], IsDefaultHost: true, Standbys: [heirs]);

        var steps = OwnershipSteps.Between(from, to).ToList();
        var serving = steps.Select(s => OwnershipSteps.Serves(s, to)).ToList();
        var first = serving.IndexOf(true);

        Assert.False(OwnershipSteps.Serves(from, to));
        Assert.InRange(first, 1, steps.Count - 2);
        Assert.Equal(to.Rules, steps[first].Rules);
        Assert.True(steps[first].IsDefaultHost);
        Assert.False(steps[first].KeepsDefault);
        Assert.All(steps[..first], s => Assert.NotEqual<IEnumerable<RuleOwnership>>(to.Rules, s.Rules));
        Assert.All(serving[first..], Assert.True);
    }

    [Fact]
    public void NoChange_NoSteps()
    {
        var same = RandomOwnership(new Random(3));
        Assert.Empty(OwnershipSteps.Between(same, same));
    }

    private static Ownership RandomOwnership(Random random)
    {
        var rules = Enumerable.Range(0, 3).Select(_ =>
        {
            var owned = new List<int>();
            var kept = new List<int>();
            for (var b = 0; b < 8192; b++)
            {
                switch (random.Next(3))
                {
                    case 0: owned.Add(b); break;
                    case 1: kept.Add(b); break;
                }
            }

            // As in every real ownership, a host never both owns and keeps the same thing.
            var single = random.Next(3);
            return new RuleOwnership(owned, single == 1, kept, single == 2);
        }).ToArray();
        var uncovered = random.Next(3);
        return new Ownership(rules, uncovered == 1, uncovered == 2);
    }
}
