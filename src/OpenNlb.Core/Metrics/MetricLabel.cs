namespace OpenNlb.Core.Metrics;

/// <summary>One label of a sample: <c>rule="web"</c>.</summary>
public readonly record struct MetricLabel(string Name, string Value);
