using System.Net;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.DataPlane;
using Xunit;

namespace OpenNlb.Core.Tests.DataPlane;

public sealed class RulesetRendererTests
{
    private static DataPlaneSpec Spec(params PortRule[] rules) => new(
        new ClusterConfig { Name = "r", Vips = [IPAddress.Parse("192.0.2.100"), IPAddress.Parse("192.0.2.101")], PortRules = rules },
        HostPriority: 1, Interface: "eth0", BucketCount: 64, HashSeed: 1);

    private static PortRule Rule(string name, int first, int last, IPAddress? vip = null, FilteringMode filtering = FilteringMode.Multiple) =>
        new() { Name = name, Vip = vip, Ports = new PortRange(first, last), Protocol = Protocol.Tcp, Filtering = filtering };

    [Fact]
    public void SinglePortRules_DispatchThroughAHashMap_RangesThroughAnIntervalMap()
    {
        var ports = RulesetRenderer.RenderFull(Spec(Rule("a", 80, 80), Rule("b", 443, 443)), Ownership.Nothing(2));
        var ranges = RulesetRenderer.RenderFull(Spec(Rule("a", 80, 80), Rule("b", 8000, 8080)), Ownership.Nothing(2));

        Assert.Contains("map dispatch_all { typeof meta l4proto . th dport : verdict; elements = { tcp . 80 : jump rule0_tcp, tcp . 443 : jump rule1_tcp }; }", ports, StringComparison.Ordinal);
        Assert.Contains("flags interval; elements = { tcp . 80 : jump rule0_tcp, tcp . 8000-8080 : jump rule1_tcp }", ranges, StringComparison.Ordinal);
    }

    [Fact]
    public void OneVipRules_AreLookedUpBeforeAllVipRules_AndDisabledRulesDropInTheMap()
    {
        var vip = IPAddress.Parse("192.0.2.101");
        var text = RulesetRenderer.RenderFull(
            Spec(Rule("all", 80, 80), Rule("one", 80, 80, vip, FilteringMode.Single), Rule("off", 81, 81, filtering: FilteringMode.Disabled)),
            Ownership.Nothing(3));

        var one = text.IndexOf("vmap @dispatch_vip", StringComparison.Ordinal);
        var all = text.IndexOf("vmap @dispatch_all", StringComparison.Ordinal);
        Assert.InRange(one, 0, all);
        Assert.Contains("192.0.2.101 . tcp . 80 : jump rule1_single", text, StringComparison.Ordinal);
        Assert.Contains("tcp . 81 : drop", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_TouchesOnlyChangedBuckets_AndIsEmptyWhenNothingChanged()
    {
        var spec = Spec(Rule("a", 80, 80));
        var before = new Ownership([new RuleOwnership([1, 2, 3], false)], false);
        var after = new Ownership([new RuleOwnership([2, 3, 4], false)], false);

        Assert.Equal(string.Empty, RulesetRenderer.RenderUpdate(spec, before, before));
        var update = RulesetRenderer.RenderUpdate(spec, before, after);
        Assert.Equal(
            "delete element ip opennlb rule0_buckets { 1 }\nadd element ip opennlb rule0_buckets { 4 : accept }\n",
            update.ReplaceLineEndings("\n"));
    }
}
