using OpenNlb.Core.Configuration;
using OpenNlb.Core.DataPlane;
using Xunit;
using static OpenNlb.Core.Tests.DataPlane.Specs;

namespace OpenNlb.Core.Tests.DataPlane;

public sealed class RulesetRendererTests
{
    [Fact]
    public void SinglePortRules_DispatchThroughAHashMap_RangesThroughAnIntervalMap()
    {
        var ports = RulesetRenderer.RenderFull(Of(Rule("a", 80, 80), Rule("b", 443, 443)), Ownership.Nothing(2));
        var ranges = RulesetRenderer.RenderFull(Of(Rule("a", 80, 80), Rule("b", 8000, 8080)), Ownership.Nothing(2));

        Assert.Contains("map dispatch_all { typeof meta l4proto . th dport : verdict; elements = { tcp . 80 : jump rule0_tcp, tcp . 443 : jump rule1_tcp }; }", ports, StringComparison.Ordinal);
        Assert.Contains("map admit_all { typeof meta l4proto . th dport : verdict; elements = { tcp . 80 : jump rule0_tcp_admit, tcp . 443 : jump rule1_tcp_admit }; }", ports, StringComparison.Ordinal);
        Assert.Contains("flags interval; elements = { tcp . 80 : jump rule0_tcp, tcp . 8000-8080 : jump rule1_tcp }", ranges, StringComparison.Ordinal);
    }

    [Fact]
    public void OneVipRules_AreLookedUpBeforeAllVipRules_AndDisabledRulesAreCountedAndDropped()
    {
        var text = RulesetRenderer.RenderFull(
            Of(Rule("all", 80, 80), Rule("one", 80, 80, Vip2, FilteringMode.Single), Rule("off", 81, 81, filtering: FilteringMode.Disabled)),
            Ownership.Nothing(3));

        foreach (var (vipMap, allMap) in new[] { ("dispatch_vip", "dispatch_all"), ("admit_vip", "admit_all") })
        {
            var one = text.IndexOf($"vmap @{vipMap}", StringComparison.Ordinal);
            var all = text.IndexOf($"vmap @{allMap}", StringComparison.Ordinal);
            Assert.InRange(one, 0, all);
        }

        Assert.Contains("192.0.2.101 . tcp . 80 : jump rule1_single", text, StringComparison.Ordinal);
        Assert.Contains("192.0.2.101 . tcp . 80 : jump rule1_single_admit", text, StringComparison.Ordinal);
        Assert.Contains("map dispatch_all { typeof meta l4proto . th dport : verdict; elements = { tcp . 80 : jump rule0_tcp, tcp . 81 : jump rule2_disabled }; }", text, StringComparison.Ordinal);
        Assert.Contains("chain rule2_disabled { counter name \"rule2_dropped\" drop; }", text, StringComparison.Ordinal);

        // -150 never sees the disabled rule's packets; its map drops them all the same.
        Assert.Contains("map admit_all { typeof meta l4proto . th dport : verdict; elements = { tcp . 80 : jump rule0_tcp_admit, tcp . 81 : drop }; }", text, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryFilterVerdict_IsCountedInANamedCounterPerRule()
    {
        var spec = Of(Rule("web", 80, 80, affinity: Affinity.None), Rule("ssh", 22, 22, filtering: FilteringMode.Single));
        var owning = new Ownership([new RuleOwnership([1, 2], false), new RuleOwnership([], HandlesSingle: true)], IsDefaultHost: false);

        var text = RulesetRenderer.RenderFull(spec, owning).ReplaceLineEndings("\n");

        Assert.Contains(
            """
              counter rule0_accepted { }
              counter rule0_dropped { }
              counter rule1_accepted { }
              counter rule1_dropped { }
              counter uncovered_accepted { }
              counter uncovered_dropped { }

            """,
            text,
            StringComparison.Ordinal);
        Assert.Contains(
            """
              chain rule0_tcp {
                jhash ip saddr . tcp sport mod 64 seed 0x00000001 @rule0_buckets counter name "rule0_accepted" accept
                jump rule0_tcp_standby
                counter name "rule0_dropped" drop
              }

            """,
            text,
            StringComparison.Ordinal);
        Assert.Contains("chain rule1_single { counter name \"rule1_accepted\" accept; }", text, StringComparison.Ordinal);
        Assert.Contains("chain uncovered { counter name \"uncovered_dropped\" drop; }", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_TouchesOnlyChangedBuckets_AndIsEmptyWhenNothingChanged()
    {
        var spec = Of(Rule("a", 80, 80));
        var before = new Ownership([new RuleOwnership([1, 2, 3], false)], false);
        var after = new Ownership([new RuleOwnership([2, 3, 4], false)], false);

        Assert.Equal(string.Empty, RulesetRenderer.RenderUpdate(spec, before, before));
        Assert.Equal(
            """
            delete element ip opennlb rule0_buckets { 1 }
            add element ip opennlb rule0_buckets { 4 : accept }

            """,
            RulesetRenderer.RenderUpdate(spec, before, after).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void AnOwnershipOfAnotherRuleCount_IsRefused()
    {
        var spec = Of(Rule("a", 80, 80), Rule("b", 81, 81));
        Assert.Throws<ArgumentException>(() => RulesetRenderer.RenderFull(spec, Ownership.Nothing(1)));
        Assert.Throws<ArgumentException>(() => RulesetRenderer.RenderUpdate(spec, Ownership.Nothing(2), Ownership.Nothing(3)));
    }

    [Fact]
    public void Remove_DeletesEveryTableIdempotently()
    {
        Assert.Equal(
            """
            add table ip opennlb
            delete table ip opennlb
            add table netdev opennlb
            delete table netdev opennlb
            add table arp opennlb
            delete table arp opennlb

            """,
            RulesetRenderer.RenderRemove(Mixed()).ReplaceLineEndings("\n"));
    }
}
