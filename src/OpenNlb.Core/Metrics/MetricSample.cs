namespace OpenNlb.Core.Metrics;

/// <summary>
/// One line of a metric family: its labels and value. <see cref="Suffix"/> is appended to the
/// family's name for a summary's <c>_count</c> and <c>_sum</c>, and is empty otherwise.
/// </summary>
public sealed record MetricSample(IReadOnlyList<MetricLabel> Labels, double Value, string Suffix = "")
{
    public static MetricSample Of(double value) => new([], value);

    public static MetricSample Of(double value, params MetricLabel[] labels) => new(labels, value);
}
