using OpenNlb.Core.Configuration;
using OpenNlb.Core.Status;

namespace OpenNlb.Core.Metrics;

/// <summary>Everything one scrape shows, gathered by nlbd at scrape time; <see cref="HostMetrics"/> turns it into families.</summary>
public sealed record HostMetricsInput
{
    public required ClusterConfig Cluster { get; init; }

    /// <summary>Buckets of a multiple-host rule.</summary>
    public required int BucketCount { get; init; }

    /// <summary>The loop's snapshot, taken on the loop for this scrape.</summary>
    public required HostStatus Status { get; init; }

    /// <summary>The ruleset's named counters by name (rule0_accepted, ...), or null when they could not be read.</summary>
    public IReadOnlyDictionary<string, TrafficCount>? Traffic { get; init; }

    /// <summary>Open conntrack entries by rule and transport, or null when conntrack could not be listed.</summary>
    public IReadOnlyList<RuleFlows>? Flows { get; init; }
}
