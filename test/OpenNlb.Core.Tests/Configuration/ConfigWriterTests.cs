using System.Text.RegularExpressions;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Configuration.Yaml;
using Xunit;

namespace OpenNlb.Core.Tests.Configuration;

public sealed class ConfigWriterTests
{
    [Fact]
    public void ToYaml_FullExample_IsTheCanonicalText()
    {
        var yaml = ConfigWriter.ToYaml(ConfigSamples.Full());

        Assert.Equal(
            """
            cluster:
              name: lab
              vips: [192.0.2.100, 192.0.2.101]
              mode: multicast
              filterIcmp: false
              heartbeat: { periodMs: 250, tolerance: 4, port: 3000, key: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=" }
              portRules:
                - name: web
                  vip: all
                  ports: 80
                  protocol: tcp
                  filtering: multiple
                  affinity: none
                - name: web-101
                  vip: 192.0.2.101
                  ports: 80-90
                  protocol: both
                  filtering: single
                - name: alt
                  vip: all
                  ports: 8000-8080
                  protocol: udp
                  filtering: disabled
                - name: rest
                  vip: 192.0.2.100
                  ports: all
                  protocol: both
                  filtering: multiple
                  affinity: network
                  affinityTimeoutSeconds: 1200
            host:
              priority: 3
              interface: eth0
              dedicatedIp: 192.0.2.13/24
              initialState: suspended
              remoteControl: false
              metrics: { enabled: false, listen: "[::1]:9100" }
              portRules:
                alt: { loadWeight: equal }
                web: { loadWeight: 50, handlingPriority: 1 }
                web-101: { loadWeight: equal, handlingPriority: 2 }

            """,
            yaml);
    }

    [Fact]
    public void ToYaml_ThenParse_GivesAnEqualConfiguration()
    {
        var config = ConfigSamples.Full();

        var parsed = ConfigAssert.Accepts(ConfigWriter.ToYaml(config));

        ConfigAssert.Equal(config, parsed);
    }

    [Fact]
    public void ToYaml_KeyFile_IsWrittenInsteadOfTheKey()
    {
        var config = ConfigSamples.WithCluster(c => c with { Heartbeat = c.Heartbeat with { Key = null, KeyFile = "/etc/opennlb/lab, 1.key" } });

        var yaml = ConfigWriter.ToYaml(config);

        Assert.Contains("  heartbeat: { periodMs: 50, tolerance: 5, port: 2526, keyFile: \"/etc/opennlb/lab, 1.key\" }\n", yaml, StringComparison.Ordinal);
        ConfigAssert.Equal(config, ConfigAssert.Accepts(yaml));
    }

    [Fact]
    public void ToYaml_AffinityTimeout_IsSpelledOutWhereItAppliesOnly()
    {
        var config = ConfigSamples.WithRules(
            ConfigSamples.Rule("sticky", 80, 80) with { AffinityTimeoutSeconds = 0 },
            ConfigSamples.Rule("perflow", 81, 81) with { Affinity = Affinity.None },
            ConfigSamples.Rule("net", 82, 82) with { Affinity = Affinity.Network, AffinityTimeoutSeconds = 86_400 });

        var yaml = ConfigWriter.ToYaml(config);

        Assert.Equal(2, Regex.Count(yaml, "affinityTimeoutSeconds"));
        Assert.Contains("      affinity: single\n      affinityTimeoutSeconds: 0\n", yaml, StringComparison.Ordinal);
        Assert.Contains("      affinity: network\n      affinityTimeoutSeconds: 86400\n", yaml, StringComparison.Ordinal);
        ConfigAssert.Equal(config, ConfigAssert.Accepts(yaml));
    }

    [Fact]
    public void ToYaml_NoRules_WritesAnEmptyListAndNoHostRules()
    {
        var config = ConfigSamples.WithRules();

        var yaml = ConfigWriter.ToYaml(config);

        Assert.Contains("  portRules: []\n", yaml, StringComparison.Ordinal);
        Assert.Equal(1, Regex.Count(yaml, "portRules"));
        ConfigAssert.Equal(config, ConfigAssert.Accepts(yaml));
    }

    [Fact]
    public void ToYaml_RandomValidConfigurations_RoundTrip()
    {
        var random = new Random(20240601);
        for (var i = 0; i < 500; i++)
        {
            var config = RandomConfigs.Next(random);
            Assert.Equal([], ConfigAssert.Errors(ConfigValidator.Validate(config)));

            var yaml = ConfigWriter.ToYaml(config);
            var result = ConfigLoader.Parse(yaml);

            Assert.True(result.IsValid, $"case {i}:\n{yaml}\n{string.Join('\n', result.Errors)}");
            ConfigAssert.Equal(config, result.Config!);
            Assert.Equal(yaml, ConfigWriter.ToYaml(result.Config!));
            Assert.Equal(ConfigFingerprint.Of(config.Cluster), ConfigFingerprint.Of(result.Config!.Cluster));
        }
    }

    [Theory]
    [InlineData("true")]
    [InlineData("No")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("")]
    [InlineData("-a")]
    [InlineData("-")]
    [InlineData("1e5")]
    [InlineData("#x")]
    [InlineData("a: b")]
    [InlineData("[x]")]
    [InlineData("x\"y\\z'")]
    [InlineData(" padded ")]
    [InlineData("tab\there\nnewline\u0001\u007f")]
    [InlineData("é✓😀")]
    [InlineData("2001:db8::1")]
    public void YamlText_AnyString_IsReadBackUnchanged(string text)
    {
        var errors = new ErrorSink();

        var root = YamlTreeReader.Read($"key: {YamlText.Scalar(text)}\n", errors);

        Assert.False(errors.HasErrors);
        var value = Assert.IsType<ScalarNode>(Assert.IsType<MappingNode>(root).Entries[0].Value);
        Assert.Equal(text, value.Value);
        Assert.False(value.IsNull);
    }

    [Theory]
    [InlineData("eth0", "eth0")]
    [InlineData("true", "\"true\"")]
    [InlineData("1e5", "\"1e5\"")]
    [InlineData("80", "\"80\"")]
    [InlineData("0x10", "\"0x10\"")]
    [InlineData("web-80", "web-80")]
    [InlineData("192.0.2.1", "192.0.2.1")]
    [InlineData("veth@1", "\"veth@1\"")]
    public void YamlText_LeavesPlainOnlyWhatCannotBeMisread(string text, string written)
    {
        Assert.Equal(written, YamlText.Scalar(text));
    }
}
