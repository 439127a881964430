using OpenNlb.Core.DataPlane;
using Xunit;
using static OpenNlb.Core.Tests.DataPlane.Specs;

namespace OpenNlb.Core.Tests.DataPlane;

/// <summary>Updates between ownerships: exact scripts for the hand-over's transitions, and agreement with a full render.</summary>
public sealed class UpdateRenderTests
{
    private static Ownership Dns(int[] owned, int[] kept) =>
        new([RuleOwnership.None, Multiple(owned, kept), RuleOwnership.None, RuleOwnership.None], IsDefaultHost: false);

    [Fact]
    public void OwnedToKept_KeepsTheFilter_AndSendsNewFlowsToTheKeepChain()
    {
        var update = RulesetRenderer.RenderUpdate(Mixed(), Dns([1, 2], []), Dns([1], [2]));

        Assert.Equal("add element ip opennlb rule1_kept { 2 : goto rule1_keep }\n", update.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void KeptToGone_LeavesBothMaps()
    {
        var update = RulesetRenderer.RenderUpdate(Mixed(), Dns([1], [2]), Dns([1], []));

        Assert.Equal(
            """
            delete element ip opennlb rule1_buckets { 2 }
            delete element ip opennlb rule1_kept { 2 }

            """,
            update.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void OwnedToKept_WithoutExtendedAffinity_DropsItsNewFlows()
    {
        var from = new Ownership([Multiple([1, 2], []), RuleOwnership.None, RuleOwnership.None, RuleOwnership.None], false);
        var to = new Ownership([Multiple([1], [2]), RuleOwnership.None, RuleOwnership.None, RuleOwnership.None], false);

        Assert.Equal(
            "add element ip opennlb rule0_kept { 2 : drop }\n",
            RulesetRenderer.RenderUpdate(Mixed(), from, to).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void KeptToOwned_AndGoneToOwned_AreClaims()
    {
        var update = RulesetRenderer.RenderUpdate(Mixed(), Dns([1], [2]), Dns([1, 2, 3], []));

        Assert.Equal(
            """
            add element ip opennlb rule1_buckets { 3 : accept }
            delete element ip opennlb rule1_kept { 2 }

            """,
            update.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void SingleRuleAndDefaultHost_Handled_Kept_Gone()
    {
        var spec = Mixed();
        Ownership Single(bool handles, bool keeps, bool isDefault, bool keepsDefault) =>
            new([RuleOwnership.None, RuleOwnership.None, new RuleOwnership([], handles, KeepsSingle: keeps), RuleOwnership.None], isDefault, keepsDefault);

        var handled = Single(true, false, true, false);
        var kept = Single(false, true, false, true);
        var gone = Single(false, false, false, false);

        Assert.Equal(
            """
            flush chain ip opennlb rule2_single_admit
            add rule ip opennlb rule2_single_admit drop
            flush chain ip opennlb uncovered_admit
            add rule ip opennlb uncovered_admit drop

            """,
            RulesetRenderer.RenderUpdate(spec, handled, kept).ReplaceLineEndings("\n"));
        Assert.Equal(
            """
            flush chain ip opennlb rule2_single
            add rule ip opennlb rule2_single counter name "rule2_dropped" drop
            flush chain ip opennlb uncovered
            add rule ip opennlb uncovered counter name "uncovered_dropped" drop

            """,
            RulesetRenderer.RenderUpdate(spec, kept, gone).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Update_LeadsExactlyWhereAFullRenderOfTheNewOwnershipWould()
    {
        var spec = Mixed();
        var random = new Random(20240603);
        for (var run = 0; run < 500; run++)
        {
            var from = RandomOwnership(random);
            var to = RandomOwnership(random);
            var state = RulesetText.FromFull(RulesetRenderer.RenderFull(spec, from));

            state.Apply(RulesetRenderer.RenderUpdate(spec, from, to));

            var expected = RulesetText.FromFull(RulesetRenderer.RenderFull(spec, to));
            Assert.Equal(expected.Maps, state.Maps);
            Assert.Equal(expected.Chains, state.Chains);
            Assert.Equal(from == to, RulesetRenderer.RenderUpdate(spec, from, to).Length == 0);
        }
    }

    /// <summary>Owned and kept buckets never overlap (RuleOwnership's contract); 16 of 64 buckets keep the maps small.</summary>
    private static Ownership RandomOwnership(Random random)
    {
        RuleOwnership Rule()
        {
            var state = Enumerable.Range(0, 16).Select(_ => random.Next(3)).ToArray();
            return Multiple(
                [.. Enumerable.Range(0, 16).Where(b => state[b] == 1)],
                [.. Enumerable.Range(0, 16).Where(b => state[b] == 2)]);
        }

        var single = new RuleOwnership([], random.Next(2) == 0, KeepsSingle: random.Next(2) == 0);
        return new Ownership([Rule(), Rule(), single, RuleOwnership.None], random.Next(2) == 0, random.Next(2) == 0);
    }
}
