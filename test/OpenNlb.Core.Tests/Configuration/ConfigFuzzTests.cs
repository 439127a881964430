using System.Diagnostics;
using System.Text;
using OpenNlb.Core.Configuration;
using Xunit;

namespace OpenNlb.Core.Tests.Configuration;

/// <summary>
/// The configuration is untrusted input: whatever the text, Parse returns a result (never throws),
/// and the result is consistent. Seeded, so a failure can be replayed.
/// </summary>
public sealed class ConfigFuzzTests
{
    private const string YamlAlphabet = "[]{}:,-?!&*|>'\"#%@` \n\t\r\\abc19.~=";

    [Fact]
    public void Parse_RandomBytes_NeverThrows()
    {
        var random = new Random(1);
        for (var i = 0; i < 3000; i++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            AssertConsistent(ConfigLoader.Parse(Encoding.UTF8.GetString(bytes)), $"bytes case {i}");
        }
    }

    [Fact]
    public void Parse_RandomYamlPunctuation_NeverThrows()
    {
        // Drawn mostly from YAML's indicators: this is how YamlDotNet 16.3 was seen to throw
        // InvalidOperationException from its scanner, which the loader must turn into an error.
        var random = new Random(2);
        var parserFailures = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var chars = new char[random.Next(1, 80)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = YamlAlphabet[random.Next(YamlAlphabet.Length)];
            }

            var result = ConfigLoader.Parse(new string(chars));
            AssertConsistent(result, $"punctuation case {i}: {new string(chars)}");
            parserFailures += result.Errors.Count(e => e.Message == OpenNlb.Core.Configuration.Yaml.YamlTreeReader.MalformedAfter);
        }

        Assert.True(parserFailures > 0, "no input reached the parser's non-YamlException failures");
    }

    [Fact]
    public void Parse_MutatedValidFiles_NeverThrowAndStayConsistent()
    {
        var random = new Random(3);
        var valid = 0;
        for (var i = 0; i < 5000; i++)
        {
            var text = new StringBuilder(ConfigSamples.FullYaml);
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                var at = random.Next(text.Length);
                switch (random.Next(3))
                {
                    case 0:
                        text.Remove(at, 1);
                        break;
                    case 1:
                        text.Insert(at, YamlAlphabet[random.Next(YamlAlphabet.Length)]);
                        break;
                    default:
                        text[at] = (char)random.Next(32, 127);
                        break;
                }
            }

            var result = ConfigLoader.Parse(text.ToString());
            AssertConsistent(result, $"mutation case {i}:\n{text}");
            valid += result.IsValid ? 1 : 0;
        }

        // Some edits land in comments-free but harmless places (a digit of a weight, a letter of a
        // name); most must be caught. Both kinds have to occur for the test to mean anything.
        Assert.InRange(valid, 1, 4999);
    }

    [Theory]
    [InlineData("[")]
    [InlineData("{a: ")]
    [InlineData("- ")]
    public void Parse_DeepFlowOrInlineNesting_StopsAtTheLimit(string opener)
    {
        var yaml = string.Concat(Enumerable.Repeat(opener, 200_000));

        var result = ConfigLoader.Parse(yaml);

        var error = Assert.Single(result.Errors);
        Assert.Equal($"nesting deeper than {ConfigLimits.MaxDepth} levels", error.Message);
        Assert.Null(result.Config);
    }

    [Fact]
    public void Parse_DeepIndentedNesting_StopsAtTheLimit()
    {
        var yaml = string.Concat(Enumerable.Range(0, 1000).Select(i => new string(' ', i) + "a:\n"));

        var result = ConfigLoader.Parse(yaml);

        Assert.Equal([$"line {ConfigLimits.MaxDepth + 1}, column {ConfigLimits.MaxDepth + 1}: nesting deeper than {ConfigLimits.MaxDepth} levels"],
            ConfigAssert.Errors(result));
    }

    [Fact]
    public void Parse_NestingAtTheLimit_IsReadAndReportedAsWrongType()
    {
        var inner = string.Concat(Enumerable.Repeat("[", ConfigLimits.MaxDepth - 2)) + string.Concat(Enumerable.Repeat("]", ConfigLimits.MaxDepth - 2));

        ConfigAssert.Rejects(
            $"cluster:\n  name: {inner}\n  vips: [192.0.2.100]\n{ConfigSamples.KeyLine}  portRules: []\nhost: {{ priority: 1, interface: eth0, dedicatedIp: 192.0.2.11/24 }}\n",
            "cluster.name: expected a string, got a list");
    }

    [Fact]
    public void Parse_TextOverTheSizeLimit_IsRefusedUnread()
    {
        var yaml = ConfigSamples.MinimalYaml + "#" + new string('x', ConfigLimits.MaxInputBytes);

        ConfigAssert.Rejects(yaml, $"document: the configuration is larger than {ConfigLimits.MaxInputBytes} bytes");
    }

    [Fact]
    public void Parse_SizeLimit_CountsUtf8BytesNotCharacters()
    {
        // 'é' is two bytes in UTF-8: fewer characters than the limit, more bytes.
        var comment = "#" + new string('é', (ConfigLimits.MaxInputBytes / 2) + 1);

        ConfigAssert.Rejects(comment, $"document: the configuration is larger than {ConfigLimits.MaxInputBytes} bytes");
    }

    [Fact]
    public void Parse_TextJustUnderTheSizeLimit_IsRead()
    {
        var padding = ConfigLimits.MaxInputBytes - ConfigSamples.MinimalYaml.Length - 2;
        var yaml = ConfigSamples.MinimalYaml + "\n#" + new string('x', padding);

        Assert.Equal(ConfigLimits.MaxInputBytes, Encoding.UTF8.GetByteCount(yaml));
        ConfigAssert.Accepts(yaml);
    }

    [Fact]
    public void Parse_HugeScalar_IsReportedShortly()
    {
        var yaml = ConfigSamples.MinimalYaml.Replace("interface: eth0", $"interface: {new string('e', 1_000_000)}", StringComparison.Ordinal);

        var error = Assert.Single(ConfigLoader.Parse(yaml).Errors);

        Assert.Equal("host.interface", error.Path);
        Assert.True(error.Message.Length < 200, error.Message);
    }

    [Fact]
    public void Parse_ThousandsOfMistakes_ReportsTheLimitAndSaysSo()
    {
        var yaml = "cluster:\n" + string.Concat(Enumerable.Range(0, 30_000).Select(i => $"  k{i}: 1\n"));

        var errors = ConfigLoader.Parse(yaml).Errors;

        Assert.Equal(ConfigLimits.MaxErrors + 1, errors.Count);
        Assert.Equal("cluster.k0: unknown key; expected one of name, vips, mode, filterIcmp, heartbeat, portRules", errors[0].ToString());
        Assert.Equal($"document: too many errors; only the first {ConfigLimits.MaxErrors} are shown", errors[^1].ToString());
    }

    [Fact]
    public void Parse_ManyPortRules_IsRejectedWithoutQuadraticWork()
    {
        var rules = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"    - {{ name: r{i}, ports: 80 }}\n"));
        var yaml = $"cluster:\n  name: lab\n  vips: [192.0.2.100]\n{ConfigSamples.KeyLine}  portRules:\n{rules}host: {{ priority: 1, interface: eth0, dedicatedIp: 192.0.2.11/24 }}\n";
        var clock = Stopwatch.StartNew();

        var errors = ConfigLoader.Parse(yaml).Errors;

        // 20,000 rules pairwise would be 2e8 comparisons; the limit check skips them.
        Assert.Equal($"cluster.portRules: at most {ConfigLimits.MaxPortRules} port rules are allowed, got 20000", errors[0].ToString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    private static void AssertConsistent(ConfigResult result, string what)
    {
        Assert.True(result.IsValid == (result.Errors.Count == 0), what);
        Assert.True(result.IsValid == (result.Config is not null), what);
        Assert.All(result.Errors, e => Assert.False(string.IsNullOrEmpty(e.Path) || string.IsNullOrEmpty(e.Message), what));
        Assert.True(result.Errors.Count <= ConfigLimits.MaxErrors + 1, what);
        if (result.Config is { } config)
        {
            ConfigAssert.Equal(config, ConfigAssert.Accepts(ConfigWriter.ToYaml(config)));
        }
    }
}
