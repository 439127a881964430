namespace OpenNlb.Core.Metrics;

/// <summary>The metric types of Prometheus' text format that nlbd uses.</summary>
public enum MetricType
{
    /// <summary>Only goes up (and back to 0 when nlbd restarts); the name ends in <c>_total</c>.</summary>
    Counter,

    /// <summary>A value that goes up and down.</summary>
    Gauge,

    /// <summary>A count and a sum of observations (<c>_count</c>, <c>_sum</c>), without quantiles.</summary>
    Summary,
}
