using OpenNlb.Core.Configuration;
using OpenNlb.Core.DataPlane;
using OpenNlb.Core.Membership;
using OpenNlb.Core.Status;
using static OpenNlb.Core.Metrics.EventCounterNames;

namespace OpenNlb.Core.Metrics;

/// <summary>
/// The metric families of one host (docs/metrics.md lists them): a pure function of what nlbd
/// gathered for one scrape. Every family is always present, so a dashboard never sees one appear
/// and vanish; a sample that has no value yet (no failover so far) is left out rather than made up.
/// </summary>
public static class HostMetrics
{
    /// <summary>The <c>rule</c> label of traffic no port rule covers (the default host's); no rule can be named so.</summary>
    public const string UncoveredRule = "(default)";

    /// <summary>Every state of <see cref="HostStatus.State"/>, each a sample of opennlb_host_state.</summary>
    public static IReadOnlyList<string> States { get; } =
        ["converging", "converged", "converged-default", "draining", "stopped", "suspended", "mismatched", "duplicate-priority"];

    /// <summary>Why a datagram on the heartbeat port was refused: the wire's reasons, then the membership's.</summary>
    public static IReadOnlyList<string> RejectReasons { get; } =
    [
        "not_opennlb", "other_cluster",
        .. Enum.GetValues<HeartbeatError>().Where(e => e != HeartbeatError.None).Select(e => Snake(e.ToString())),
        "replayed", "mismatched", "duplicate_priority",
    ];

    public static IReadOnlyList<MetricFamily> Families(HostMetricsInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var status = input.Status;
        var rules = input.Cluster.PortRules;
        long Count(string name) => status.Counters.TryGetValue(name, out var v) ? v : 0;

        return
        [
            Gauge("opennlb_host_info", "This host: its cluster and host priority. Always 1.",
                Sample(1, ("cluster", input.Cluster.Name), ("priority", Text(status.HostPriority)))),
            Gauge("opennlb_host_state", "1 for this host's state (as nlb query shows it), 0 for the others.",
                [.. States.Append(status.State).Distinct().Select(s => Sample(s == status.State ? 1 : 0, ("state", s)))]),
            Gauge("opennlb_live_hosts", "Hosts this host counts as live participants, itself included.", Sample(status.LiveHosts.Count)),
            Gauge("opennlb_default_host", "1 if this host is the default host (it takes traffic no port rule covers).",
                Sample(status.DefaultHost == status.HostPriority ? 1 : 0)),
            Gauge("opennlb_rule_buckets", "Buckets of the port rule: the bucket count for a multiple-host rule, 1 for a single-host rule, 0 for a disabled one.",
                [.. rules.Select(r => Sample(RuleBuckets(r, input.BucketCount), Rule(r.Name)))]),
            Gauge("opennlb_buckets_owned", "Buckets of the port rule whose new flows this host takes (single-host rule: 1 while it handles the rule).",
                [.. rules.Select(r => Sample(status.BucketsOwned.GetValueOrDefault(r.Name), Rule(r.Name)))]),
            Gauge("opennlb_buckets_kept", "Buckets of the port rule this host no longer owns but still serves existing flows of.",
                [.. rules.Select(r => Sample(status.BucketsKept.GetValueOrDefault(r.Name), Rule(r.Name)))]),
            Counter("opennlb_packets_total", "Packets for the VIPs judged by this host's bucket filter (prerouting -300), by port rule: accepted (a bucket this host owns or keeps) or dropped (another host's).",
                Traffic(input, t => t.Packets)),
            Counter("opennlb_bytes_total", "Bytes of those packets (IP header included, after reassembly), by port rule and verdict.",
                Traffic(input, t => t.Bytes)),
            Gauge("opennlb_flows", "Open conntrack entries (TCP not in TIME_WAIT or CLOSE, and UDP) for the VIPs on this host, by port rule and transport.",
                Flows(input)),
            Counter("opennlb_convergences_total", "Convergences: times this host claimed its share of a new map.", Sample(status.Convergences)),
            Summary("opennlb_convergence_duration_seconds", "Time from the first change this host saw (a host joined, left, changed a setting) to its share claimed.",
                Count(ConvergencesTimed), Count(ConvergenceMsTotal)),
            Gauge("opennlb_last_convergence_duration_seconds", "The duration of the last convergence.",
                status.LastConvergenceMs is { } last ? [Sample(last / 1000)] : []),
            Summary("opennlb_failover_duration_seconds", "Time from the last heartbeat of a host that fell silent to this host serving its buckets (taken over, or converged without it).",
                Count(Failovers), Count(FailoverMsTotal)),
            Gauge("opennlb_last_failover_duration_seconds", "The duration of the last failover.",
                status.LastFailoverMs is { } failover ? [Sample(failover / 1000)] : []),
            Counter("opennlb_heartbeats_sent_total", "Heartbeats sent, by the loop or, when the loop was late, re-sent by the watchdog.",
                [Sample(Count(HeartbeatsSent), ("sender", "loop")), Sample(Count(HeartbeatsSentByWatchdog), ("sender", "watchdog"))]),
            Counter("opennlb_heartbeats_received_total", "Authentic heartbeats received from other hosts.", Sample(Count(HeartbeatsReceived))),
            Counter("opennlb_heartbeats_lost_total", "Datagrams (heartbeats and hand-over chunks) of other hosts that never arrived: gaps in their sequence numbers.",
                Sample(Count(HeartbeatsLost))),
            Counter("opennlb_heartbeats_rejected_total", "Datagrams on the heartbeat port that were refused, by reason (docs/metrics.md lists them).",
                [.. Rejected(status.Counters).Select(r => Sample(r.Value, ("reason", r.Key)))]),
            Counter("opennlb_heartbeat_send_failures_total", "Heartbeats and hand-over chunks the socket refused to send.", Sample(Count(SendFailures))),
            Counter("opennlb_handover_chunks_sent_total", "Hand-over chunks sent (flows and clients this host keeps).", Sample(Count(HandoverChunksSent))),
            Counter("opennlb_handover_chunks_received_total", "Hand-over chunks received from other hosts.", Sample(Count(HandoverChunksReceived))),
            Counter("opennlb_kernel_updates_total", "nftables transactions that moved the kernel to a new share.", Sample(Count(KernelUpdates))),
            Counter("opennlb_kernel_update_failures_total", "nftables transactions the kernel refused (the previous ruleset stayed).", Sample(Count(KernelUpdateFailures))),
            Counter("opennlb_releases_of_everything_total", "Times this host gave up every new flow at once because a peer was counted again on another map or did not count it (event 1210).", Sample(Count(ReleasesOfEverything))),
            Counter("opennlb_lease_lapses_total", "Heartbeats that left more than the lease after the one before: meanwhile this host took no new flow and answered no UDP.", Sample(Count(LeaseLapses))),
            Counter("opennlb_lease_lapsed_seconds_total", "How long the lease was out, summed over the lapses.", Sample(Count(LeaseLapsedMsTotal) / 1000.0)),
            Gauge("opennlb_scrape_source_up", "1 if this scrape could read the source (nftables counters, conntrack), 0 if its metrics are missing.",
                [Sample(input.Traffic is null ? 0 : 1, ("source", "nftables")), Sample(input.Flows is null ? 0 : 1, ("source", "conntrack"))]),
        ];
    }

    /// <summary>Accepted and dropped per rule, then the uncovered traffic, from the ruleset's named counters.</summary>
    private static List<MetricSample> Traffic(HostMetricsInput input, Func<TrafficCount, long> value)
    {
        var samples = new List<MetricSample>();
        if (input.Traffic is not { } traffic)
        {
            return samples;
        }

        void Add(string rule, string accepted, string dropped)
        {
            samples.Add(Sample(value(traffic.GetValueOrDefault(accepted)), Rule(rule), ("verdict", "accepted")));
            samples.Add(Sample(value(traffic.GetValueOrDefault(dropped)), Rule(rule), ("verdict", "dropped")));
        }

        for (var i = 0; i < input.Cluster.PortRules.Count; i++)
        {
            Add(input.Cluster.PortRules[i].Name, NftNames.AcceptedCounter(i), NftNames.DroppedCounter(i));
        }

        Add(UncoveredRule, NftNames.UncoveredAccepted, NftNames.UncoveredDropped);
        return samples;
    }

    /// <summary>Every rule's transports and the uncovered traffic's, from 0, so that each series exists from the first scrape.</summary>
    private static List<MetricSample> Flows(HostMetricsInput input)
    {
        var samples = new List<MetricSample>();
        if (input.Flows is not { } flows)
        {
            return samples;
        }

        var counts = flows.GroupBy(f => (f.Rule, f.Protocol)).ToDictionary(g => g.Key, g => g.Sum(f => f.Flows));
        void Add(int? rule, string name, Protocol protocol) =>
            samples.Add(Sample(counts.GetValueOrDefault((rule, protocol)), Rule(name), ("protocol", protocol == Protocol.Tcp ? "tcp" : "udp")));

        var rules = input.Cluster.PortRules;
        for (var i = 0; i < rules.Count; i++)
        {
            foreach (var protocol in rules[i].Protocol == Protocol.Both ? [Protocol.Tcp, Protocol.Udp] : new[] { rules[i].Protocol })
            {
                Add(i, rules[i].Name, protocol);
            }
        }

        Add(null, UncoveredRule, Protocol.Tcp);
        Add(null, UncoveredRule, Protocol.Udp);
        return samples;
    }

    private static SortedDictionary<string, long> Rejected(IReadOnlyDictionary<string, long> counters)
    {
        var rejected = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var reason in RejectReasons)
        {
            rejected[reason] = 0;
        }

        foreach (var (name, value) in counters)
        {
            if (name.StartsWith(RejectedPrefix, StringComparison.Ordinal))
            {
                rejected[name[RejectedPrefix.Length..]] = value;
            }
        }

        return rejected;
    }

    private static int RuleBuckets(PortRule rule, int bucketCount) => rule.Filtering switch
    {
        FilteringMode.Multiple => bucketCount,
        FilteringMode.Single => 1,
        _ => 0,
    };

    private static MetricFamily Counter(string name, string help, params IReadOnlyList<MetricSample> samples) =>
        new(name, MetricType.Counter, help, samples);

    private static MetricFamily Gauge(string name, string help, params IReadOnlyList<MetricSample> samples) =>
        new(name, MetricType.Gauge, help, samples);

    private static MetricFamily Summary(string name, string help, long count, long sumMs) =>
        new(name, MetricType.Summary, help, [new MetricSample([], count, "_count"), new MetricSample([], sumMs / 1000.0, "_sum")]);

    private static MetricSample Sample(double value, params (string Name, string Value)[] labels) =>
        new([.. labels.Select(l => new MetricLabel(l.Name, l.Value))], value);

    private static (string, string) Rule(string name) => ("rule", name);

    private static string Text(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>As nlbd names the reasons: BadMagic becomes bad_magic.</summary>
    internal static string Snake(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
