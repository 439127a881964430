using System.Globalization;
using System.Text.RegularExpressions;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.Support;

/// <summary>
/// A page of Prometheus' text format read back, strictly enough to catch a malformed page: every
/// sample line must parse and belong to a family declared by a TYPE line before it.
/// </summary>
internal sealed partial class PrometheusScrape
{
    private readonly Dictionary<string, double> _samples = new(StringComparer.Ordinal);

    private PrometheusScrape(string text) => Text = text;

    public string Text { get; }

    public static PrometheusScrape Parse(string text)
    {
        var scrape = new PrometheusScrape(text);
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                types[parts[2]] = parts[3];
                continue;
            }

            if (line.StartsWith('#'))
            {
                continue;
            }

            var match = SampleLine().Match(line);
            Assert.True(match.Success, $"not a sample line: {line}");
            var name = match.Groups["name"].Value;
            var family = types.ContainsKey(name) ? name : Regex.Replace(name, "_(sum|count)$", string.Empty);
            Assert.True(types.ContainsKey(family), $"sample of an undeclared family: {line}");
            var value = match.Groups["value"].Value switch
            {
                "NaN" => double.NaN,
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                var v => double.Parse(v, NumberStyles.Float, CultureInfo.InvariantCulture),
            };
            Assert.True(scrape._samples.TryAdd(match.Groups["series"].Value, value), $"sample given twice: {line}");
        }

        return scrape;
    }

    /// <summary>The value of a series written as the page writes it: <c>opennlb_packets_total{rule="echo",verdict="accepted"}</c>.</summary>
    public double this[string series] =>
        _samples.TryGetValue(series, out var value) ? value : throw new KeyNotFoundException($"no sample {series} in the page:\n{Text}");

    public bool Has(string series) => _samples.ContainsKey(series);

    [GeneratedRegex(@"^(?<series>(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{[a-zA-Z_][a-zA-Z0-9_]*=""([^""\\]|\\.)*""(,[a-zA-Z_][a-zA-Z0-9_]*=""([^""\\]|\\.)*"")*\})?) (?<value>\S+)$")]
    private static partial Regex SampleLine();
}
