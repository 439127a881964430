using OpenNlb.Core.Configuration;
using OpenNlb.Core.DataPlane;
using Xunit;
using static OpenNlb.Core.Tests.DataPlane.Specs;

namespace OpenNlb.Core.Tests.DataPlane;

/// <summary>The -150 admission: what the full ruleset says about owned, kept, lease and foreign entries.</summary>
public sealed class AdmissionRenderTests
{
    private static readonly Ownership Sample = new(
        [Multiple([1, 2, 3], [4, 5]), Multiple([1, 2], [7]), new RuleOwnership([], HandlesSingle: false, KeepsSingle: true), RuleOwnership.None],
        IsDefaultHost: false,
        KeepsDefault: true);

    [Fact]
    public void KeptBuckets_PassTheFilter_AndAdmitNewFlowsOnlyThroughExtendedAffinity()
    {
        var text = RulesetText.FromFull(RulesetRenderer.RenderFull(Mixed(), Sample));

        // -300: owned and kept alike go on to conntrack.
        Assert.Equal(["1", "2", "3", "4", "5"], text.Maps["rule0_buckets"].Keys);
        Assert.All(text.Maps["rule0_buckets"].Values, v => Assert.Equal("accept", v));
        Assert.Equal(["1", "2", "7"], text.Maps["rule1_buckets"].Keys);

        // -150: web has no affinity, so its kept buckets take no new flow; dns keeps its
        // network-affinity clients for 60 s. Owned buckets are the filter map's others.
        Assert.Equal(new Dictionary<string, string> { ["4"] = "drop", ["5"] = "drop" }, text.Maps["rule0_kept"]);
        Assert.Equal(new Dictionary<string, string> { ["7"] = "goto rule1_keep" }, text.Maps["rule1_kept"]);

        // A kept single-host rule and kept uncovered traffic: existing flows pass (counted as
        // accepted), new ones do not.
        Assert.Equal("counter name \"rule2_accepted\" accept", text.Chains["rule2_single"]);
        Assert.Equal("drop", text.Chains["rule2_single_admit"]);
        Assert.Equal("counter name \"uncovered_accepted\" accept", text.Chains["uncovered"]);
        Assert.Equal("drop", text.Chains["uncovered_admit"]);
    }

    [Fact]
    public void ConfirmedTcp_IsTheFirstRuleAfterConntrack_AndTheLeaseComesBeforeAnythingElse()
    {
        var full = RulesetRenderer.RenderFull(Mixed(), Sample);

        Assert.Equal(
            ["type filter hook prerouting priority -150; policy accept;", "ct status confirmed meta l4proto tcp accept", "ip daddr @vips jump admit"],
            Chain(full, "conntrack"));
        Assert.Equal(
            [
                "meta protocol != @lease drop",
                "ct status confirmed accept",
                "meta protocol @hold drop",
                "ip daddr . meta l4proto . th dport vmap @admit_vip",
                "meta l4proto . th dport vmap @admit_all",
                "jump uncovered_admit",
            ],
            Chain(full, "admit"));
        var unfiltered = Mixed() with { Cluster = Mixed().Cluster with { FilterIcmp = false } };
        Assert.Equal("meta l4proto icmp accept", Chain(RulesetRenderer.RenderFull(unfiltered, Sample), "admit")[^2]);
        Assert.Equal(
            [
                "jhash ip saddr & 255.255.255.0 mod 64 seed 0x00000001 vmap @rule1_kept",
                "jhash ip saddr & 255.255.255.0 mod 64 seed 0x00000001 @rule1_buckets goto rule1_own",
                "jump rule1_udp_standby_admit",
                "drop",
            ],
            Chain(full, "rule1_udp_admit"));
        Assert.Equal(
            [
                "jhash ip saddr . tcp sport mod 64 seed 0x00000001 vmap @rule0_kept",
                "jhash ip saddr . tcp sport mod 64 seed 0x00000001 @rule0_buckets goto rule0_own",
                "jump rule0_tcp_standby_admit",
                "drop",
            ],
            Chain(full, "rule0_tcp_admit"));
    }

    [Fact]
    public void Lease_RunsForTheSpecsLease_OrNeverLapsesWithoutOne()
    {
        var leased = RulesetRenderer.RenderFull(Mixed() with { Lease = TimeSpan.FromMilliseconds(1500) }, Sample);
        var unleased = RulesetRenderer.RenderFull(Mixed(), Sample);

        Assert.Contains("set lease { typeof meta protocol; flags dynamic, timeout; elements = { ip timeout 1500ms }; }", leased, StringComparison.Ordinal);
        Assert.Contains("set lease { typeof meta protocol; flags dynamic, timeout; elements = { ip }; }", unleased, StringComparison.Ordinal);
        Assert.DoesNotContain("heartbeat_out", unleased, StringComparison.Ordinal);
    }

    [Fact]
    public void Lease_IsRenewedByTheDaemonUsersHeartbeatsAsTheyLeave()
    {
        var spec = Mixed() with { Lease = TimeSpan.FromMilliseconds(200), DaemonUid = 998 };
        var full = RulesetRenderer.RenderFull(spec, Sample);

        Assert.Equal(
            [
                "type filter hook output priority 0; policy accept;",
                $"udp dport {spec.Cluster.Heartbeat.Port} meta skuid 998 @th,64,48 0x4f4e4c420301 update @lease {{ meta protocol timeout 200ms }}",
            ],
            Chain(full, "heartbeat_out"));
    }

    [Fact]
    public void OwnedBuckets_RefuseNonSynTcp_ForeignUdpFlows_AndForeignClients_AndRememberOwnClients()
    {
        var full = RulesetRenderer.RenderFull(Mixed() with { ForeignFlowTimeout = TimeSpan.FromSeconds(90) }, Sample);

        Assert.Equal(
            [
                "tcp flags & (fin|syn|rst|ack) != syn drop",
                "ip saddr . udp sport . ip daddr . udp dport @foreign_flows update @foreign_flows { ip saddr . udp sport . ip daddr . udp dport timeout 90s } drop",
                "ip saddr & 255.255.255.0 @rule1_foreign_clients add @foreign_flows { ip saddr . udp sport . ip daddr . udp dport timeout 90s }",
                "ip saddr & 255.255.255.0 @rule1_foreign_clients update @rule1_foreign_clients { ip saddr & 255.255.255.0 timeout 60s } drop",
                "update @rule1_clients { ip saddr & 255.255.255.0 timeout 60s }",
                "accept",
            ],
            Chain(full, "rule1_own"));
        Assert.Equal(
            ["ip saddr & 255.255.255.0 @rule1_clients update @rule1_clients { ip saddr & 255.255.255.0 timeout 60s } accept", "drop"],
            Chain(full, "rule1_keep"));

        // TCP only, no affinity: only the stray-segment rule; uncovered traffic can be anything.
        Assert.Equal(["tcp flags & (fin|syn|rst|ack) != syn drop", "accept"], Chain(full, "rule0_own"));
        Assert.Equal(["tcp flags & (fin|syn|rst|ack) != syn drop", "accept"], Chain(full, "rule2_own"));
        Assert.Equal(3, Chain(full, "uncovered_own").Count);
        Assert.Contains("set foreign_flows { type ipv4_addr . inet_service . ipv4_addr . inet_service; size 262144; flags dynamic, timeout; timeout 90s; }", full, StringComparison.Ordinal);
    }

    [Fact]
    public void SingleAffinity_KeysClientsByAddress_AndUdpOnlyRulesSkipTheTcpCheck()
    {
        var spec = Of(Rule("u", 7, 7, protocol: Protocol.Udp, affinity: Affinity.Single)) with { AffinityTimeouts = [TimeSpan.FromMinutes(5)] };
        var full = RulesetRenderer.RenderFull(spec, new Ownership([Multiple([0], [1])], false));

        Assert.Contains("set rule0_clients { type ipv4_addr; flags dynamic, timeout; timeout 300s; }", full, StringComparison.Ordinal);
        Assert.Contains("set rule0_foreign_clients { type ipv4_addr; flags dynamic, timeout; timeout 300s; }", full, StringComparison.Ordinal);
        var own = Chain(full, "rule0_own");
        Assert.DoesNotContain(own, l => l.Contains("tcp flags", StringComparison.Ordinal));
        Assert.Equal("update @rule0_clients { ip saddr timeout 300s }", own[^2]);
        Assert.Equal(["ip saddr @rule0_clients update @rule0_clients { ip saddr timeout 300s } accept", "drop"], Chain(full, "rule0_keep"));
    }

    [Theory]
    [InlineData(Affinity.None, 60)]
    [InlineData(Affinity.Single, 0)]
    public void RulesWithoutExtendedAffinity_HaveNoClientSets(Affinity affinity, int timeoutSeconds)
    {
        var spec = Of(Rule("a", 80, 80, affinity: affinity)) with { AffinityTimeouts = [TimeSpan.FromSeconds(timeoutSeconds)] };
        var full = RulesetRenderer.RenderFull(spec, new Ownership([Multiple([0], [1])], false));

        Assert.DoesNotContain("clients", full, StringComparison.Ordinal);
        Assert.DoesNotContain("rule0_keep", full, StringComparison.Ordinal);
    }

    [Fact]
    public void DefaultHost_AdmitsUncoveredTrafficThroughItsOwnChain()
    {
        var text = RulesetText.FromFull(RulesetRenderer.RenderFull(Mixed(), Sample with { IsDefaultHost = true, KeepsDefault = false }));

        Assert.Equal("counter name \"uncovered_accepted\" accept", text.Chains["uncovered"]);
        Assert.Equal("goto uncovered_own", text.Chains["uncovered_admit"]);
    }
}
