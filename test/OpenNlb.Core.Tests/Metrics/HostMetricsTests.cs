using System.Net;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Metrics;
using OpenNlb.Core.Status;
using Xunit;

namespace OpenNlb.Core.Tests.Metrics;

public sealed class HostMetricsTests
{
    private static readonly ClusterConfig Cluster = new()
    {
        Name = "lab",
        Vips = [IPAddress.Parse("192.0.2.100")],
        PortRules =
        [
            new PortRule { Name = "web", Ports = new PortRange(80, 80), Protocol = Protocol.Tcp, Affinity = Affinity.None },
            new PortRule { Name = "ssh", Ports = new PortRange(22, 22), Protocol = Protocol.Tcp, Filtering = FilteringMode.Single },
            new PortRule { Name = "off", Ports = new PortRange(81, 81), Filtering = FilteringMode.Disabled },
        ],
    };

    private static HostStatus Status(Func<HostStatus, HostStatus>? change = null)
    {
        var status = new HostStatus
        {
            HostPriority = 2,
            ProcessId = 1200,
            State = "converged",
            LiveHosts = [1, 2, 3],
            DefaultHost = 1,
            BucketsOwned = new Dictionary<string, int> { ["web"] = 5461, ["ssh"] = 1, ["off"] = 0 },
            BucketsKept = new Dictionary<string, int> { ["web"] = 3, ["ssh"] = 0, ["off"] = 0 },
            Convergences = 4,
            LastConvergenceMs = 120,
            LastFailoverMs = 375,
            Counters = new Dictionary<string, long>
            {
                ["heartbeats_sent"] = 1000,
                ["heartbeats_sent_by_watchdog"] = 2,
                ["heartbeats_received"] = 1990,
                ["heartbeats_lost"] = 5,
                ["datagrams_rejected_forged"] = 7,
                ["datagrams_rejected_some_new_reason"] = 1,
                ["convergences_timed"] = 3,
                ["convergence_ms_total"] = 450,
                ["failovers"] = 1,
                ["failover_ms_total"] = 375,
                ["kernel_updates"] = 9,
            },
            UpdatedAt = DateTimeOffset.UnixEpoch,
        };
        return change is null ? status : change(status);
    }

    private static HostMetricsInput Input(HostStatus status) => new()
    {
        Cluster = Cluster,
        BucketCount = 16384,
        Status = status,
        Traffic = new Dictionary<string, TrafficCount>
        {
            ["rule0_accepted"] = new(100, 6400),
            ["rule0_dropped"] = new(200, 12800),
            ["rule1_accepted"] = new(3, 180),
            ["rule2_dropped"] = new(4, 240),
            ["uncovered_dropped"] = new(1, 84),
        },
        Flows = [new RuleFlows(0, Protocol.Tcp, 17), new RuleFlows(null, Protocol.Udp, 2)],
    };

    private static string Render(HostMetricsInput input) => PrometheusText.Render(HostMetrics.Families(input));

    [Fact]
    public void TrafficPerRule_AcceptedAndDropped_IncludesDisabledRulesAndUncoveredTraffic()
    {
        var text = Render(Input(Status()));

        Assert.Contains(
            """
            # TYPE opennlb_packets_total counter
            opennlb_packets_total{rule="web",verdict="accepted"} 100
            opennlb_packets_total{rule="web",verdict="dropped"} 200
            opennlb_packets_total{rule="ssh",verdict="accepted"} 3
            opennlb_packets_total{rule="ssh",verdict="dropped"} 0
            opennlb_packets_total{rule="off",verdict="accepted"} 0
            opennlb_packets_total{rule="off",verdict="dropped"} 4
            opennlb_packets_total{rule="(default)",verdict="accepted"} 0
            opennlb_packets_total{rule="(default)",verdict="dropped"} 1

            """,
            text,
            StringComparison.Ordinal);
        Assert.Contains("opennlb_bytes_total{rule=\"web\",verdict=\"dropped\"} 12800\n", text, StringComparison.Ordinal);
        Assert.Contains(
            """
            opennlb_flows{rule="web",protocol="tcp"} 17
            opennlb_flows{rule="ssh",protocol="tcp"} 0
            opennlb_flows{rule="off",protocol="tcp"} 0
            opennlb_flows{rule="off",protocol="udp"} 0
            opennlb_flows{rule="(default)",protocol="tcp"} 0
            opennlb_flows{rule="(default)",protocol="udp"} 2

            """,
            text,
            StringComparison.Ordinal);
    }

    [Fact]
    public void BucketsPerRule_OwnedKeptAndTotal()
    {
        var text = Render(Input(Status()));

        Assert.Contains("opennlb_rule_buckets{rule=\"web\"} 16384\nopennlb_rule_buckets{rule=\"ssh\"} 1\nopennlb_rule_buckets{rule=\"off\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("opennlb_buckets_owned{rule=\"web\"} 5461\nopennlb_buckets_owned{rule=\"ssh\"} 1\nopennlb_buckets_owned{rule=\"off\"} 0\n", text, StringComparison.Ordinal);
        Assert.Contains("opennlb_buckets_kept{rule=\"web\"} 3\n", text, StringComparison.Ordinal);
        Assert.Contains("opennlb_default_host 0\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ConvergenceAndFailover_AreCountsSummariesInSecondsAndLastValues()
    {
        var text = Render(Input(Status()));

        Assert.Contains("opennlb_convergences_total 4\n", text, StringComparison.Ordinal);
        Assert.Contains("opennlb_convergence_duration_seconds_count 3\nopennlb_convergence_duration_seconds_sum 0.45\n", text, StringComparison.Ordinal);
        Assert.Contains("opennlb_last_convergence_duration_seconds 0.12\n", text, StringComparison.Ordinal);
        Assert.Contains("opennlb_failover_duration_seconds_count 1\nopennlb_failover_duration_seconds_sum 0.375\n", text, StringComparison.Ordinal);
        Assert.Contains("opennlb_last_failover_duration_seconds 0.375\n", text, StringComparison.Ordinal);

        var fresh = Render(Input(Status(s => s with { LastConvergenceMs = null, LastFailoverMs = null })));
        Assert.Contains("# TYPE opennlb_last_failover_duration_seconds gauge\n# HELP", fresh, StringComparison.Ordinal);
        Assert.DoesNotContain("opennlb_last_failover_duration_seconds 0", fresh, StringComparison.Ordinal);
    }

    [Fact]
    public void Heartbeats_SentByLoopAndWatchdog_ReceivedLost_AndEveryRejectReasonFromZero()
    {
        var text = Render(Input(Status()));

        Assert.Contains("opennlb_heartbeats_sent_total{sender=\"loop\"} 1000\nopennlb_heartbeats_sent_total{sender=\"watchdog\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("opennlb_heartbeats_received_total 1990\n", text, StringComparison.Ordinal);
        Assert.Contains("opennlb_heartbeats_lost_total 5\n", text, StringComparison.Ordinal);
        Assert.Contains("opennlb_heartbeats_rejected_total{reason=\"forged\"} 7\n", text, StringComparison.Ordinal);
        Assert.Contains("opennlb_heartbeats_rejected_total{reason=\"some_new_reason\"} 1\n", text, StringComparison.Ordinal);
        foreach (var reason in new[] { "bad_magic", "length_mismatch", "replayed", "mismatched", "duplicate_priority", "not_opennlb", "other_cluster", "truncated" })
        {
            Assert.Contains($"opennlb_heartbeats_rejected_total{{reason=\"{reason}\"}} 0\n", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void HostState_IsOneForTheCurrentStateAndZeroForTheOthers()
    {
        var text = Render(Input(Status(s => s with { State = "draining" })));

        Assert.Contains("opennlb_host_state{state=\"draining\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("opennlb_host_state{state=\"converged\"} 0\n", text, StringComparison.Ordinal);
        Assert.Equal(HostMetrics.States.Count, text.Split('\n').Count(l => l.StartsWith("opennlb_host_state{", StringComparison.Ordinal)));
        Assert.Contains("opennlb_host_info{cluster=\"lab\",priority=\"2\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ASourceThatCouldNotBeRead_LeavesItsFamiliesEmpty_AndSaysSo()
    {
        var text = Render(Input(Status()) with { Traffic = null, Flows = null });

        Assert.DoesNotContain("opennlb_packets_total{", text, StringComparison.Ordinal);
        Assert.DoesNotContain("opennlb_flows{", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE opennlb_packets_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains("opennlb_scrape_source_up{source=\"nftables\"} 0\nopennlb_scrape_source_up{source=\"conntrack\"} 0\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void EveryFamily_FollowsPrometheusNamingConventions()
    {
        var families = HostMetrics.Families(Input(Status()));

        Assert.All(families, f =>
        {
            Assert.StartsWith("opennlb_", f.Name, StringComparison.Ordinal);
            Assert.Equal(f.Type == MetricType.Counter, f.Name.EndsWith("_total", StringComparison.Ordinal));
            Assert.DoesNotContain("_ms", f.Name, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(f.Help));
        });
        Assert.Contains(families, f => f.Name.EndsWith("_seconds", StringComparison.Ordinal));
        Assert.Contains(families, f => f.Name.EndsWith("_bytes_total", StringComparison.Ordinal));
        Assert.Equal(families.Count, families.Select(f => f.Name).Distinct().Count());
    }
}
