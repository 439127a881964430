namespace OpenNlb.Core.Metrics;

/// <summary>A metric with its help text, type and samples: one HELP line, one TYPE line, then the samples.</summary>
public sealed record MetricFamily(string Name, MetricType Type, string Help, IReadOnlyList<MetricSample> Samples);
