using OpenNlb.Core.DataPlane;
using Xunit;
using static OpenNlb.Core.Tests.DataPlane.Specs;

namespace OpenNlb.Core.Tests.DataPlane;

/// <summary>The takeover's kernel side (docs/convergence.md, "Takeover"): heir sets written ahead, switched on in one small step.</summary>
public sealed class StandbyTests
{
    // web (rule 0, tcp) and dns (rule 1, tcp and udp) are multiple-host rules.
    private static readonly DataPlaneSpec Spec = Mixed();

    [Fact]
    public void FullRuleset_HoldsTheHeirSets_TheTakenFlags_AndOneGatedRulePerPeerWithHeirs()
    {
        var ownership = With(Base(), Heirs(2, [1, 2, 3], [4]), Heirs(3, [5], []) with { Active = true });

        var full = RulesetRenderer.RenderFull(Spec, ownership);

        Assert.Contains("set rule0_heir2 { typeof numgen inc mod 2; elements = { 1, 2, 3 }; }", full, StringComparison.Ordinal);
        Assert.Contains("set rule1_heir2 { typeof numgen inc mod 2; elements = { 4 }; }", full, StringComparison.Ordinal);
        Assert.Contains("set rule0_heir3 { typeof numgen inc mod 2; elements = { 5 }; }", full, StringComparison.Ordinal);
        Assert.DoesNotContain("rule1_heir3", full, StringComparison.Ordinal);
        Assert.Contains("set taken2 { typeof meta protocol; }", full, StringComparison.Ordinal);
        Assert.Contains("set taken3 { typeof meta protocol; elements = { ip }; }", full, StringComparison.Ordinal);
        Assert.Contains("set taken { typeof meta protocol; elements = { ip }; }", full, StringComparison.Ordinal);
        Assert.Equal(
            [
                "meta protocol != @taken return",
                "meta protocol @taken2 jhash ip saddr . tcp sport mod 64 seed 0x00000001 @rule0_heir2 counter name \"rule0_accepted\" accept",
                "meta protocol @taken3 jhash ip saddr . tcp sport mod 64 seed 0x00000001 @rule0_heir3 counter name \"rule0_accepted\" accept",
            ],
            Chain(full, "rule0_tcp_standby"));
        Assert.Equal(
            [
                "meta protocol != @taken return",
                "meta protocol @taken2 jhash ip saddr . tcp sport mod 64 seed 0x00000001 @rule0_heir2 goto rule0_own",
                "meta protocol @taken3 jhash ip saddr . tcp sport mod 64 seed 0x00000001 @rule0_heir3 goto rule0_own",
            ],
            Chain(full, "rule0_tcp_standby_admit"));
        // dns: only peer 2 has heirs of it.
        Assert.Equal(2, Chain(full, "rule1_udp_standby").Count);
        Assert.Equal(2, Chain(full, "rule1_tcp_standby_admit").Count);
    }

    /// <summary>
    /// Without takeovers (the default) the standby chains are there too (a claim of a dead peer's
    /// heirs goes through them), but not the hold, which only a takeover's give-back sets.
    /// </summary>
    [Fact]
    public void WithoutTakeover_TheRulesetHasTheStandbyChainsButNoHold()
    {
        var full = RulesetRenderer.RenderFull(WithoutTakeover(Spec), With(Base(), Heirs(2, [9], [])));

        Assert.DoesNotContain("hold", full, StringComparison.Ordinal);
        Assert.Contains("set rule0_heir2 { typeof numgen inc mod 2; elements = { 9 }; }", full, StringComparison.Ordinal);
        Assert.Equal(
            [
                "jhash ip saddr . tcp sport mod 64 seed 0x00000001 @rule0_buckets counter name \"rule0_accepted\" accept",
                "jump rule0_tcp_standby",
                "counter name \"rule0_dropped\" drop",
            ],
            Chain(full, "rule0_tcp"));
        Assert.Equal("meta protocol != @taken return", Chain(full, "rule0_tcp_standby")[0]);
    }

    [Fact]
    public void Takeover_IsOneSmallTransaction_WhateverTheNumberOfBuckets()
    {
        var many = Enumerable.Range(0, 40).ToArray();
        var before = With(Base(), Heirs(2, many, many));
        var after = With(Base(), Heirs(2, many, many) with { Active = true });

        var script = RulesetRenderer.RenderUpdate(Spec, before, after);

        // Two elements in two small sets: no rule and no bucket written.
        Assert.Equal(
            ["add element ip opennlb taken2 { ip }", "add element ip opennlb taken { ip }"],
            script.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(
            ["flush set ip opennlb taken2", "flush set ip opennlb taken"],
            RulesetRenderer.RenderUpdate(Spec, after, before).ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void HeirSetChanges_CreateTheSetFirst_ThenDeleteAndAdd()
    {
        var script = RulesetRenderer.RenderUpdate(Spec, With(Base(), Heirs(2, [1, 2], [])), With(Base(), Heirs(2, [2, 3], [7])));
        var lines = script.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(
            [
                "delete element ip opennlb rule0_heir2 { 1 }",
                "add element ip opennlb rule0_heir2 { 3 }",
                "add set ip opennlb rule1_heir2 { typeof numgen inc mod 2; }",
                "add element ip opennlb rule1_heir2 { 7 }",
            ],
            lines[..4]);

        // dns's chains (tcp and udp, -300 and -150) gain their gated rule for peer 2, after its set exists; web's are unchanged.
        Assert.Equal(4, lines.Count(l => l.StartsWith("flush chain ip opennlb rule1_", StringComparison.Ordinal)));
        Assert.DoesNotContain(lines, l => l.Contains("rule0_tcp_standby", StringComparison.Ordinal));
    }

    [Fact]
    public void Steps_TakeOverFirstAndAlone_WhenTheSetsAreInTheKernel()
    {
        var heirs = Enumerable.Range(32, 32).ToArray();
        var start = With(Base(), Heirs(2, heirs, []));
        var to = With(Base(owned: [.. Enumerable.Range(0, 8), .. heirs]), Heirs(2, heirs, []) with { Active = true });

        var steps = OwnershipSteps.Between(start, to).ToList();

        Assert.Equal(start with { Standbys = [Heirs(2, heirs, []) with { Active = true }] }, steps[0]);
        Assert.Equal(to, steps[^1]);

        // As the kernel holds it, the buckets taken over stay in the heir set: the takeover is all.
        Assert.Equal([start with { Standbys = [Heirs(2, heirs, []) with { Active = true }] }], OwnershipSteps.Between(start, OwnershipSteps.InKernel(to)));
    }

    /// <summary>
    /// A partition that heals before a new map: the host gives the peer's buckets back in one step
    /// (its standby rules removed), not by deleting thousands of map elements first.
    /// </summary>
    [Fact]
    public void GivingATakeoverBack_IsOneStep_InTheKernel()
    {
        var heirs = Enumerable.Range(32, 32).ToArray();
        var taken = OwnershipSteps.InKernel(With(Base(owned: [.. Enumerable.Range(0, 8), .. heirs]), Heirs(2, heirs, []) with { Active = true }));
        var givenBack = OwnershipSteps.InKernel(With(Base(), Heirs(2, heirs, [])));

        Assert.Equal([givenBack], OwnershipSteps.Between(taken, givenBack));
        Assert.Equal(Enumerable.Range(0, 8), taken.Rules[0].Buckets);
    }

    /// <summary>
    /// Random moves between ownerships with standbys: a bucket the host accepts at both ends is
    /// accepted at every step between (a taken-over bucket goes into the maps before its standby is
    /// switched off); a set never changes while its peer is taken over; steps stay small.
    /// </summary>
    [Fact]
    public void RandomMoves_NeverLeaveABucketHeldAtBothEndsWithoutOwner_NorChangeATakenOverSet()
    {
        var random = new Random(5);
        for (var run = 0; run < 300; run++)
        {
            var from = RandomOwnership(random, fromNode: false);
            var to = random.Next(2) == 0 ? RandomOwnership(random, fromNode: true) : NewMapWithoutAPeer(random, from);
            var steps = OwnershipSteps.Between(from, to).ToList();
            Assert.Equal(to, steps.Count == 0 ? from : steps[^1]);

            var previous = from;
            foreach (var step in steps)
            {
                for (var r = 0; r < 2; r++)
                {
                    var both = Accepted(from, r).Intersect(Accepted(to, r)).ToHashSet();
                    Assert.True(both.IsSubsetOf(Accepted(step, r)), $"run {run}: rule {r} loses a bucket held at both ends");
                    var either = Accepted(from, r).Union(Accepted(to, r)).ToHashSet();
                    Assert.True(Accepted(step, r).IsSubsetOf(either), $"run {run}: rule {r} accepts a bucket neither end does");
                    var changes = step.StandbyPeers.Sum(p => Changed(previous, p, r));
                    Assert.True(changes <= OwnershipSteps.MaxChanges, $"run {run}: a step changes {changes} heir elements");
                }

                foreach (var peer in step.StandbyPeers.Where(p => p.Active))
                {
                    var held = previous.StandbyPeers.FirstOrDefault(p => p.Peer == peer.Peer);
                    Assert.True(held is null || !held.Active || held.SameBuckets(peer), $"run {run}: peer {peer.Peer}'s set changed while taken over");
                }

                previous = step;
            }

            // The kernel may stop after a step from which the target accepts wherever it does
            // (KernelDataPlane.Apply): nothing after such a step may release.
            for (var k = 0; k < steps.Count; k++)
            {
                if (!OwnershipSteps.AcceptsNewWherever(to, steps[k]))
                {
                    continue;
                }

                for (var later = k + 1; later < steps.Count; later++)
                {
                    for (var r = 0; r < 2; r++)
                    {
                        Assert.True(Accepted(steps[k], r).IsSubsetOf(Accepted(steps[later], r)), $"run {run}: step {later} releases what step {k} accepted, after the move could wait");
                    }
                }
            }
        }
    }

    /// <summary>
    /// The new map without a peer that died gives this host its heirs of that peer: the kernel
    /// switches their standby on first (one small step), then writes them into the bucket map,
    /// then switches the standby off. The failover waits only for the first.
    /// </summary>
    [Fact]
    public void Steps_ClaimADeadPeersHeirsThroughTheirSetFirst_ThenWriteTheMaps()
    {
        var heirs = Enumerable.Range(32, 32).ToArray();
        var start = With(Base(), Heirs(2, heirs, []));
        var to = With(Base(owned: [.. Enumerable.Range(0, 8), .. heirs]), Heirs(2, heirs, []));

        var steps = OwnershipSteps.Between(start, to).ToList();

        Assert.Equal(start with { Standbys = [Heirs(2, heirs, []) with { Active = true }] }, steps[0]);
        Assert.Equal(
            to with { Standbys = [Heirs(2, heirs, []) with { Active = true }] },
            steps[1]);
        Assert.Equal(to, steps[^1]);
        Assert.Equal(3, steps.Count);
        Assert.Equal(
            ["add element ip opennlb taken2 { ip }", "add element ip opennlb taken { ip }"],
            RulesetRenderer.RenderUpdate(Spec, start, steps[0]).ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>
    /// The claim through the heir sets comes before the releases of the same move: it touches none
    /// of the buckets released, and the dead peer's clients wait for it, not for them.
    /// </summary>
    [Fact]
    public void ClaimThrough_ComesBeforeTheReleasesOfTheSameMove()
    {
        var heirs = Enumerable.Range(32, 32).ToArray();
        var moving = Enumerable.Range(100, 4).ToArray();
        var start = With(Base(owned: [.. Enumerable.Range(0, 8), .. moving]), Heirs(2, heirs, []));
        var to = With(Base(owned: [.. Enumerable.Range(0, 8), .. heirs]), Heirs(2, heirs, []));

        var steps = OwnershipSteps.Between(start, to).ToList();

        Assert.Equal(start with { Standbys = [Heirs(2, heirs, []) with { Active = true }] }, steps[0]);
        Assert.Equal(Enumerable.Range(0, 8), steps[1].Rules[0].Buckets);
        Assert.True(steps[1].StandbyPeers[0].Active);
        Assert.Equal(to, steps[^1]);
    }

    /// <summary>Only a claim of every heir bucket of the peer, of the same sets the kernel holds, goes through them.</summary>
    [Fact]
    public void ClaimThrough_OnlyWhenTheTargetOwnsEveryHeirBucketOfTheSetsHeld()
    {
        var heirs = Enumerable.Range(32, 32).ToArray();
        var start = With(Base(), Heirs(2, heirs, []));

        Assert.Null(StandbySteps.ClaimThrough(start, With(Base(owned: [.. Enumerable.Range(0, 8), .. heirs[1..]]), Heirs(2, heirs, []))));
        Assert.Null(StandbySteps.ClaimThrough(start, With(Base(owned: [.. Enumerable.Range(0, 8), .. heirs]), Heirs(2, heirs[1..], []))));
        Assert.Null(StandbySteps.ClaimThrough(With(Base(owned: [.. Enumerable.Range(0, 8), .. heirs]), Heirs(2, heirs, [])), With(Base(owned: [.. Enumerable.Range(0, 8), .. heirs]), Heirs(2, heirs, []))));
        Assert.NotNull(StandbySteps.ClaimThrough(start, With(Base(owned: [.. Enumerable.Range(0, 8), .. heirs]), Heirs(2, heirs, []))));
    }

    /// <summary>A move whose target accepts new flows everywhere the kernel does has no release left, and may wait.</summary>
    [Fact]
    public void AcceptsNewWherever_CountsMapsAndStandbysTakenOver()
    {
        var heirs = Enumerable.Range(32, 4).ToArray();
        var kernel = With(Base(), Heirs(2, heirs, []) with { Active = true });

        Assert.True(OwnershipSteps.AcceptsNewWherever(With(Base(owned: [.. Enumerable.Range(0, 8), .. heirs]), Heirs(2, heirs, [])), kernel));
        Assert.False(OwnershipSteps.AcceptsNewWherever(With(Base(), Heirs(2, heirs, [])), kernel));
        Assert.False(OwnershipSteps.AcceptsNewWherever(Base(owned: [1, 2, 3]), Base()));
        Assert.False(OwnershipSteps.AcceptsNewWherever(Base(), Base() with { IsDefaultHost = true }));
        Assert.True(OwnershipSteps.AcceptsNewWherever(Base() with { IsDefaultHost = true }, Base()));
    }

    private static HashSet<int> Accepted(Ownership o, int rule) =>
        o.Rules[rule].Buckets.Concat(o.StandbyPeers.Where(p => p.Active).SelectMany(p => p.Of(rule))).ToHashSet();

    private static int Changed(Ownership previous, Standby now, int rule)
    {
        var was = previous.StandbyPeers.FirstOrDefault(p => p.Peer == now.Peer)?.Of(rule) ?? [];
        return was.Except(now.Of(rule)).Count() + now.Of(rule).Except(was).Count();
    }

    /// <summary>
    /// Owned buckets of web and dns among 0..4095; peers 2 and 3 with random heir sets, taken over
    /// or not. What the node asks for (<paramref name="fromNode"/>) owns what it took over; what
    /// the kernel holds may not yet (its first step of a takeover switches the standby on alone).
    /// </summary>
    private static Ownership RandomOwnership(Random random, bool fromNode)
    {
        var owned = Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, 4096).Where(_ => random.Next(3) == 0).ToHashSet()).ToList();
        var standbys = new List<Standby>();
        foreach (var peer in new[] { 2, 3 }.Where(_ => random.Next(4) > 0))
        {
            var buckets = Enumerable.Range(0, 2)
                .Select(r => (IReadOnlyList<int>)Enumerable.Range(0, 4096).Where(b => !owned[r].Contains(b) && random.Next(3) == 0).ToArray())
                .Concat([[], []])
                .ToArray();
            var active = random.Next(2) == 0;
            standbys.Add(new Standby(peer, buckets, active));
            if (fromNode && active)
            {
                owned[0].UnionWith(buckets[0]);
                owned[1].UnionWith(buckets[1]);
            }
        }

        var rules = owned.Select(o => new RuleOwnership(o.Order().ToArray(), false));
        return new Ownership([.. rules, RuleOwnership.None, RuleOwnership.None], false, Standbys: standbys);
    }

    /// <summary>
    /// A new map as after a peer died: the same heir sets, none taken over, and the host owns some
    /// of its buckets and, for each peer at random, all of its heirs (what a claim goes through).
    /// </summary>
    private static Ownership NewMapWithoutAPeer(Random random, Ownership from)
    {
        var standbys = from.StandbyPeers.Select(p => p with { Active = false }).ToArray();
        var owned = Enumerable.Range(0, 2).Select(_ => Enumerable.Range(0, 4096).Where(_ => random.Next(3) == 0).ToHashSet()).ToList();
        foreach (var peer in standbys.Where(_ => random.Next(2) == 0))
        {
            owned[0].UnionWith(peer.Of(0));
            owned[1].UnionWith(peer.Of(1));
        }

        var rules = owned.Select(o => new RuleOwnership(o.Order().ToArray(), false));
        return new Ownership([.. rules, RuleOwnership.None, RuleOwnership.None], false, Standbys: standbys);
    }

    private static Ownership Base(int[]? owned = null) =>
        new([new RuleOwnership(owned ?? Enumerable.Range(0, 8).ToArray(), false), RuleOwnership.None, RuleOwnership.None, RuleOwnership.None], IsDefaultHost: false);

    private static Ownership With(Ownership ownership, params Standby[] standbys) => ownership with { Standbys = standbys };

    private static Standby Heirs(int peer, int[] web, int[] dns) => new(peer, [web, dns, [], []], Active: false);
}
