using OpenNlb.Core.Metrics;
using Xunit;

namespace OpenNlb.Core.Tests.Metrics;

/// <summary>Text exposition format 0.0.4, as Prometheus parses it.</summary>
public sealed class PrometheusTextTests
{
    [Fact]
    public void Families_AreWrittenAsHelpTypeAndSamples()
    {
        var text = PrometheusText.Render(
        [
            new MetricFamily("opennlb_packets_total", MetricType.Counter, "Packets.",
            [
                MetricSample.Of(12, new MetricLabel("rule", "web"), new MetricLabel("verdict", "accepted")),
                MetricSample.Of(0, new MetricLabel("rule", "web"), new MetricLabel("verdict", "dropped")),
            ]),
            new MetricFamily("opennlb_live_hosts", MetricType.Gauge, "Live hosts.", [MetricSample.Of(3)]),
            new MetricFamily("opennlb_convergence_duration_seconds", MetricType.Summary, "Convergence.",
                [new MetricSample([], 2, "_count"), new MetricSample([], 0.25, "_sum")]),
            new MetricFamily("opennlb_last_failover_duration_seconds", MetricType.Gauge, "None yet.", []),
        ]);

        Assert.Equal(
            """
            # HELP opennlb_packets_total Packets.
            # TYPE opennlb_packets_total counter
            opennlb_packets_total{rule="web",verdict="accepted"} 12
            opennlb_packets_total{rule="web",verdict="dropped"} 0
            # HELP opennlb_live_hosts Live hosts.
            # TYPE opennlb_live_hosts gauge
            opennlb_live_hosts 3
            # HELP opennlb_convergence_duration_seconds Convergence.
            # TYPE opennlb_convergence_duration_seconds summary
            opennlb_convergence_duration_seconds_count 2
            opennlb_convergence_duration_seconds_sum 0.25
            # HELP opennlb_last_failover_duration_seconds None yet.
            # TYPE opennlb_last_failover_duration_seconds gauge

            """,
            text);
    }

    [Fact]
    public void LabelValues_EscapeBackslashQuoteAndNewline_HelpEscapesBackslashAndNewline()
    {
        var text = PrometheusText.Render(
        [
            new MetricFamily("m", MetricType.Gauge, "a \\ b\nc \"d\"", [MetricSample.Of(1, new MetricLabel("l", "x\\y\"z\nw"))]),
        ]);

        Assert.Equal("# HELP m a \\\\ b\\nc \"d\"\n# TYPE m gauge\nm{l=\"x\\\\y\\\"z\\nw\"} 1\n", text);
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(-3.0, "-3")]
    [InlineData(1234567890123.0, "1234567890123")]
    [InlineData(0.1, "0.1")]
    [InlineData(0.2505, "0.2505")]
    [InlineData(1e20, "1E+20")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    public void Values_AreWrittenAsPrometheusReadsThem(double value, string expected) =>
        Assert.Equal(expected, PrometheusText.FormatValue(value));

    [Theory]
    [InlineData("1st", MetricType.Gauge, "is not a valid metric name")]
    [InlineData("a-b", MetricType.Gauge, "is not a valid metric name")]
    [InlineData("", MetricType.Gauge, "is not a valid metric name")]
    [InlineData("opennlb_packets", MetricType.Counter, "must end in _total")]
    public void BadNames_AreRefused(string name, MetricType type, string problem)
    {
        var e = Assert.Throws<ArgumentException>(() => PrometheusText.Render([new MetricFamily(name, type, "h", [])]));
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2x")]
    [InlineData("__name")]
    [InlineData("a.b")]
    public void BadLabelNames_AreRefused(string label) =>
        Assert.Throws<ArgumentException>(() => PrometheusText.Render([new MetricFamily("m", MetricType.Gauge, "h", [MetricSample.Of(1, new MetricLabel(label, "v"))])]));

    [Fact]
    public void SuffixesOtherThanASummarys_AndFamiliesGivenTwice_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => PrometheusText.Render([new MetricFamily("m", MetricType.Gauge, "h", [new MetricSample([], 1, "_sum")])]));
        Assert.Throws<ArgumentException>(() => PrometheusText.Render([new MetricFamily("m", MetricType.Summary, "h", [new MetricSample([], 1, "_bucket")])]));
        Assert.Throws<ArgumentException>(() => PrometheusText.Render([new MetricFamily("m", MetricType.Gauge, "h", []), new MetricFamily("m", MetricType.Gauge, "h", [])]));
    }
}
