using System.Globalization;
using System.Text;

namespace OpenNlb.Core.Metrics;

/// <summary>
/// Prometheus' text exposition format, version 0.0.4, written by hand: the prometheus-net package
/// cannot be had here, and the format is a few rules. A family is its HELP line, its TYPE line and
/// its samples; help text escapes backslash and newline, label values also the double quote.
/// Names that break the format's grammar are refused, since a scraper would reject the whole page.
/// </summary>
public static class PrometheusText
{
    /// <summary>The Content-Type of the page.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    // 2^53: integers up to here are exact in a double and are written without a fraction.
    private const double ExactInteger = 9007199254740992;

    public static string Render(IEnumerable<MetricFamily> families)
    {
        ArgumentNullException.ThrowIfNull(families);
        var text = new StringBuilder();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var family in families)
        {
            CheckFamily(family);
            if (!names.Add(family.Name))
            {
                throw new ArgumentException($"metric family {family.Name} is given twice", nameof(families));
            }

            text.Append("# HELP ").Append(family.Name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            text.Append("# TYPE ").Append(family.Name).Append(' ').Append(TypeName(family.Type)).Append('\n');
            foreach (var sample in family.Samples)
            {
                WriteSample(text, family, sample);
            }
        }

        return text.ToString();
    }

    /// <summary>A sample value: integers as integers, NaN and infinities as Prometheus spells them.</summary>
    public static string FormatValue(double value) => value switch
    {
        double.NaN => "NaN",
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when Math.Abs(value) <= ExactInteger && value == Math.Floor(value) => ((long)value).ToString(CultureInfo.InvariantCulture),
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    public static string EscapeHelp(string help) =>
        help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    public static string EscapeLabelValue(string value) =>
        EscapeHelp(value).Replace("\"", "\\\"", StringComparison.Ordinal);

    private static void WriteSample(StringBuilder text, MetricFamily family, MetricSample sample)
    {
        text.Append(family.Name).Append(sample.Suffix);
        if (sample.Labels.Count > 0)
        {
            text.Append('{');
            for (var i = 0; i < sample.Labels.Count; i++)
            {
                var label = sample.Labels[i];
                if (!IsLabelName(label.Name))
                {
                    throw new ArgumentException($"{family.Name}: '{label.Name}' is not a valid label name", nameof(family));
                }

                text.Append(i == 0 ? string.Empty : ",").Append(label.Name).Append("=\"").Append(EscapeLabelValue(label.Value)).Append('"');
            }

            text.Append('}');
        }

        text.Append(' ').Append(FormatValue(sample.Value)).Append('\n');
    }

    private static void CheckFamily(MetricFamily family)
    {
        if (!IsMetricName(family.Name))
        {
            throw new ArgumentException($"'{family.Name}' is not a valid metric name", nameof(family));
        }

        // Prometheus' naming conventions, which OpenMetrics makes rules: a counter's name ends in
        // _total, and the reserved suffixes belong to summaries and histograms.
        if (family.Type == MetricType.Counter && !family.Name.EndsWith("_total", StringComparison.Ordinal))
        {
            throw new ArgumentException($"counter {family.Name} must end in _total", nameof(family));
        }

        foreach (var sample in family.Samples)
        {
            var allowed = family.Type == MetricType.Summary ? sample.Suffix is "_count" or "_sum" : sample.Suffix.Length == 0;
            if (!allowed)
            {
                throw new ArgumentException($"{family.Name}: suffix '{sample.Suffix}' does not belong to a {TypeName(family.Type)}", nameof(family));
            }
        }
    }

    private static string TypeName(MetricType type) => type switch
    {
        MetricType.Counter => "counter",
        MetricType.Gauge => "gauge",
        MetricType.Summary => "summary",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    // [a-zA-Z_:][a-zA-Z0-9_:]*
    private static bool IsMetricName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] is '_' or ':')
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');

    // [a-zA-Z_][a-zA-Z0-9_]*, and names starting with __ are Prometheus' own.
    private static bool IsLabelName(string name) =>
        name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && !name.StartsWith("__", StringComparison.Ordinal)
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
