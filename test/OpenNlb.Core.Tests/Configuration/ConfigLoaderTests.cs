using System.Net;
using OpenNlb.Core.Configuration;
using Xunit;

namespace OpenNlb.Core.Tests.Configuration;

public sealed class ConfigLoaderTests
{
    private const string Key = ConfigSamples.KeyLine;
    private const string KeyEntry = "key: " + ConfigSamples.KeyBase64;
    private const string KeyRequired =
        "cluster.heartbeat.key: a cluster key is required: give key (base64, at least 16 bytes) or keyFile (an absolute path to a file holding it); make one with `head -c 32 /dev/urandom | base64`";

    private const string Host = """
        host:
          priority: 1
          interface: eth0
          dedicatedIp: 192.0.2.11/24
        """;

    [Fact]
    public void Parse_FullExample_GivesTheExpectedRecords()
    {
        var config = ConfigAssert.Accepts(ConfigSamples.FullYaml);

        ConfigAssert.Equal(ConfigSamples.Full(), config);
    }

    [Fact]
    public void Parse_MinimalFile_AppliesTheDocumentedDefaults()
    {
        var config = ConfigAssert.Accepts(ConfigSamples.MinimalYaml);

        Assert.Equal(OperationMode.Unicast, config.Cluster.Mode);
        Assert.True(config.Cluster.FilterIcmp);
        Assert.Equal(new HeartbeatConfig { PeriodMs = 50, Tolerance = 5, Port = 2526, Key = ConfigSamples.Key }, config.Cluster.Heartbeat);
        Assert.Equal(TimeSpan.FromMilliseconds(250), config.Cluster.Heartbeat.DetectionTime);
        Assert.Equal(TimeSpan.FromMilliseconds(200), config.Cluster.Heartbeat.Lease);
        var rule = Assert.Single(config.Cluster.PortRules);
        Assert.Equal(new PortRule
        {
            Name = "web",
            Vip = null,
            Ports = new(80, 80),
            Protocol = Protocol.Both,
            Filtering = FilteringMode.Multiple,
            Affinity = Affinity.Single,
            AffinityTimeoutSeconds = 0,
        }, rule);
        Assert.Equal(HostState.Started, config.Host.InitialState);
        Assert.Equal(new MetricsConfig { Enabled = true, Address = IPAddress.Loopback, Port = 9747 }, config.Host.Metrics);
        Assert.Equal("127.0.0.1:9747", config.Host.Metrics.Listen);
        Assert.Empty(config.Host.PortRules);
        Assert.Equal(HostPortRule.Default, config.Host.RuleSettings("web"));
        Assert.Null(HostPortRule.Default.LoadWeight);
        Assert.Null(HostPortRule.Default.HandlingPriority);
    }

    /// <summary>Takeover is off unless asked for, survives a write and a read, and is part of the cluster's fingerprint.</summary>
    [Fact]
    public void Takeover_IsOffByDefault_RoundTrips_AndChangesTheFingerprint()
    {
        var off = ConfigAssert.Accepts(ConfigSamples.MinimalYaml);
        var on = off with { Cluster = off.Cluster with { Heartbeat = off.Cluster.Heartbeat with { Takeover = true } } };

        Assert.False(off.Cluster.Heartbeat.Takeover);
        Assert.True(ConfigAssert.Accepts(ConfigWriter.ToYaml(on)).Cluster.Heartbeat.Takeover);
        Assert.DoesNotContain("takeover", ConfigWriter.ToYaml(off), StringComparison.Ordinal);
        Assert.NotEqual(ConfigFingerprint.Of(off.Cluster), ConfigFingerprint.Of(on.Cluster));
    }

    [Fact]
    public void Parse_EmptyPortRuleList_IsValid()
    {
        var config = ConfigAssert.Accepts(ConfigSamples.MinimalYaml.Replace(
            "  portRules:\n    - name: web\n      ports: 80\n", "  portRules: []\n", StringComparison.Ordinal));

        Assert.Empty(config.Cluster.PortRules);
    }

    [Theory]
    [InlineData("80", 80, 80)]
    [InlineData("\"80\"", 80, 80)]
    [InlineData("0", 0, 0)]
    [InlineData("8000-8080", 8000, 8080)]
    [InlineData("'1-65535'", 1, 65535)]
    [InlineData("all", 0, 65535)]
    [InlineData("0-65535", 0, 65535)]
    public void Parse_PortForms_GiveTheRange(string ports, int first, int last)
    {
        var config = ConfigAssert.Accepts(ConfigSamples.MinimalYaml.Replace("ports: 80", $"ports: {ports}", StringComparison.Ordinal));

        Assert.Equal(new PortRange(first, last), config.Cluster.PortRules[0].Ports);
    }

    [Theory]
    [InlineData("TRUE", true)]
    [InlineData("True", true)]
    [InlineData("false", false)]
    public void Parse_CoreSchemaBooleans_AreAccepted(string text, bool expected)
    {
        var config = ConfigAssert.Accepts(ConfigSamples.MinimalYaml.Replace("  portRules:", $"  filterIcmp: {text}\n  portRules:", StringComparison.Ordinal));

        Assert.Equal(expected, config.Cluster.FilterIcmp);
    }

    [Fact]
    public void Parse_IPv6Addresses_AreAccepted()
    {
        var config = ConfigAssert.Accepts($$"""
            cluster:
              name: lab6
              vips: [2001:db8::100, "2001:db8::101"]
              heartbeat: { keyFile: /etc/opennlb/cluster.key }
              portRules:
                - name: web
                  vip: 2001:db8::101
                  ports: 80
            host:
              priority: 1
              interface: eth0
              dedicatedIp: 2001:db8::11/64
            """);

        Assert.Equal([IPAddress.Parse("2001:db8::100"), IPAddress.Parse("2001:db8::101")], config.Cluster.Vips);
        Assert.Equal(IPAddress.Parse("2001:db8::101"), config.Cluster.PortRules[0].Vip);
        Assert.Equal(new IPNetworkAddress(IPAddress.Parse("2001:db8::11"), 64), config.Host.DedicatedIp);
        Assert.Equal("/etc/opennlb/cluster.key", config.Cluster.Heartbeat.KeyFile);
        Assert.Null(config.Cluster.Heartbeat.Key);
    }

    [Fact]
    public void Parse_UnknownKeys_AreReportedWithTheirPathAndTheKnownKeys()
    {
        ConfigAssert.Rejects(
            """
            cluster:
              name: lab
              vips: [192.0.2.100]
              heartbeat: { periodMs: 100, timeout: 3, keyFile: /etc/opennlb/cluster.key }
              portRules:
                - name: web
                  port: 80
            host:
              priority: 1
              interface: eth0
              dedicatedIp: 192.0.2.11/24
              portRules:
                web: { weight: 50 }
            hosts: []
            """,
            "hosts: unknown key; expected one of cluster, host",
            "cluster.heartbeat.timeout: unknown key; expected one of periodMs, tolerance, takeover, port, key, keyFile",
            "cluster.portRules[0].port: unknown key; expected one of name, vip, ports, protocol, filtering, affinity, affinityTimeoutSeconds",
            "cluster.portRules[0].ports: required key is missing",
            "host.portRules.web.weight: unknown key; expected one of loadWeight, handlingPriority");
    }

    [Fact]
    public void Parse_MissingRequiredKeys_AreReportedEachWithItsPath()
    {
        ConfigAssert.Rejects(
            """
            cluster:
              mode: unicast
            host:
              initialState: started
            """,
            "cluster.name: required key is missing",
            "cluster.vips: required key is missing",
            "cluster.portRules: required key is missing",
            "host.priority: required key is missing",
            "host.interface: required key is missing",
            "host.dedicatedIp: required key is missing",
            KeyRequired);
    }

    [Fact]
    public void Parse_MissingSections_AreReported()
    {
        ConfigAssert.Rejects("cluster:\n  name: lab\n  vips: [192.0.2.100]\n" + Key + "  portRules: []\n", "host: required key is missing");
        ConfigAssert.Rejects(Host, "cluster: required key is missing");
    }

    [Theory]
    [InlineData("name: [lab]", "cluster.name: expected a string, got a list")]
    [InlineData("name: ~", "cluster.name: expected a string, got nothing")]
    [InlineData("name:", "cluster.name: expected a string, got nothing")]
    [InlineData("vips: 192.0.2.100", "cluster.vips: expected a list of addresses, got '192.0.2.100'")]
    [InlineData("vips: [[192.0.2.100]]", "cluster.vips[0]: expected an IP address, got a list")]
    [InlineData("mode: broadcast", "cluster.mode: expected unicast or multicast, got 'broadcast'")]
    [InlineData("mode: Unicast", "cluster.mode: expected unicast or multicast, got 'Unicast'")]
    [InlineData("filterIcmp: yes", "cluster.filterIcmp: expected true or false, got 'yes'")]
    [InlineData("filterIcmp: 'true'", "cluster.filterIcmp: expected true or false, got the quoted string 'true'")]
    [InlineData("heartbeat: [100, 5]", "cluster.heartbeat: expected a mapping, got a list")]
    [InlineData("heartbeat: { periodMs: fast, " + KeyEntry + " }", "cluster.heartbeat.periodMs: expected an integer, got 'fast'")]
    [InlineData("heartbeat: { periodMs: 1.5, " + KeyEntry + " }", "cluster.heartbeat.periodMs: expected an integer, got '1.5'")]
    [InlineData("heartbeat: { periodMs: \"100\", " + KeyEntry + " }", "cluster.heartbeat.periodMs: expected an integer, got the quoted string '100'")]
    [InlineData("heartbeat: { tolerance: 99999999999, " + KeyEntry + " }", "cluster.heartbeat.tolerance: '99999999999' is too large")]
    [InlineData("heartbeat: { port: , " + KeyEntry + " }", "cluster.heartbeat.port: expected an integer, got nothing")]
    [InlineData("heartbeat: { key: 'c2hvcnQ=' }", "cluster.heartbeat.key: the key decodes to 5 bytes; a cluster key needs at least 16: make one with `head -c 32 /dev/urandom | base64`")]
    [InlineData("heartbeat: { key: not*base64 }", "cluster.heartbeat.key: the key is not base64; make one with `head -c 32 /dev/urandom | base64`")]
    [InlineData("heartbeat: { key: [a] }", "cluster.heartbeat.key: expected a base64 cluster key, got a list; make one with `head -c 32 /dev/urandom | base64`")]
    [InlineData("heartbeat: { key: }", "cluster.heartbeat.key: expected a base64 cluster key, got nothing; make one with `head -c 32 /dev/urandom | base64`")]
    [InlineData("heartbeat: { keyFile: [a] }", "cluster.heartbeat.keyFile: expected a string, got a list")]
    public void Parse_WrongClusterValue_IsReportedWithPathAndWhatWasExpected(string line, string error)
    {
        var yaml = $"cluster:\n  {line}\n" + (line.StartsWith("name", StringComparison.Ordinal) ? "" : "  name: lab\n")
            + (line.StartsWith("vips", StringComparison.Ordinal) ? "" : "  vips: [192.0.2.100]\n")
            + (line.StartsWith("heartbeat", StringComparison.Ordinal) ? "" : Key)
            + "  portRules: []\n" + Host;

        ConfigAssert.Rejects(yaml, error);
    }

    [Theory]
    [InlineData("192.0.2.300")]
    [InlineData("192.0.2")]
    [InlineData("10.1")]
    [InlineData("010.0.0.1")]
    [InlineData("0x7f.0.0.1")]
    [InlineData("192.0.2.1 ")]
    [InlineData("fe80::1%eth0")]
    [InlineData("[2001:db8::1]")]
    [InlineData("2001:db8::1::2")]
    [InlineData("lab")]
    public void Parse_BadVip_IsReportedAsNotAnAddress(string vip)
    {
        ConfigAssert.Rejects(
            $"cluster:\n  name: lab\n  vips: [192.0.2.100, \"{vip}\"]\n{Key}  portRules: []\n{Host}",
            $"cluster.vips[1]: '{vip}' is not an IP address");
    }

    [Theory]
    [InlineData("vip: 192.0.2.", "cluster.portRules[0].vip: expected a VIP of the cluster or all, got '192.0.2.'")]
    [InlineData("vip: All", "cluster.portRules[0].vip: expected a VIP of the cluster or all, got 'All'")]
    [InlineData("ports: http", "cluster.portRules[0].ports: expected a port like 80, a range like 8000-8080 or all, got 'http'")]
    [InlineData("ports: 80 - 90", "cluster.portRules[0].ports: expected a port like 80, a range like 8000-8080 or all, got '80 - 90'")]
    [InlineData("ports: -80", "cluster.portRules[0].ports: expected a port like 80, a range like 8000-8080 or all, got '-80'")]
    [InlineData("ports: 80-", "cluster.portRules[0].ports: expected a port like 80, a range like 8000-8080 or all, got '80-'")]
    [InlineData("ports: [80, 443]", "cluster.portRules[0].ports: expected a port like 80, a range like 8000-8080 or all, got a list")]
    [InlineData("protocol: TCP", "cluster.portRules[0].protocol: expected tcp, udp or both, got 'TCP'")]
    [InlineData("protocol: icmp", "cluster.portRules[0].protocol: expected tcp, udp or both, got 'icmp'")]
    [InlineData("filtering: multi", "cluster.portRules[0].filtering: expected multiple, single or disabled, got 'multi'")]
    [InlineData("affinity: class-c", "cluster.portRules[0].affinity: expected none, single or network, got 'class-c'")]
    public void Parse_WrongPortRuleValue_IsReported(string line, string error)
    {
        var rule = line.StartsWith("ports", StringComparison.Ordinal) ? line : $"{line}\n      ports: 80";
        ConfigAssert.Rejects($"cluster:\n  name: lab\n  vips: [192.0.2.100]\n{Key}  portRules:\n    - name: web\n      {rule}\n{Host}", error);
    }

    [Theory]
    [InlineData("priority: one", "host.priority: expected an integer, got 'one'")]
    [InlineData("interface: { name: eth0 }", "host.interface: expected a string, got a mapping")]
    [InlineData("dedicatedIp: 192.0.2.11", "host.dedicatedIp: '192.0.2.11' has no prefix length; write it like 192.0.2.11/24")]
    [InlineData("dedicatedIp: 192.0.2.311/24", "host.dedicatedIp: '192.0.2.311' is not an IP address")]
    [InlineData("dedicatedIp: 192.0.2.11/", "host.dedicatedIp: '' is not a prefix length")]
    [InlineData("dedicatedIp: 192.0.2.11/x", "host.dedicatedIp: 'x' is not a prefix length")]
    [InlineData("dedicatedIp: 192.0.2.11/-1", "host.dedicatedIp: '-1' is not a prefix length")]
    [InlineData("initialState: running", "host.initialState: expected started, stopped or suspended, got 'running'")]
    [InlineData("metrics: on", "host.metrics: expected a mapping, got 'on'")]
    [InlineData("metrics: { enabled: yes }", "host.metrics.enabled: expected true or false, got 'yes'")]
    [InlineData("metrics: { port: 9747 }", "host.metrics.port: unknown key; expected one of enabled, listen")]
    [InlineData("metrics: { listen: 9747 }", "host.metrics.listen: '9747' is not an address and port; write it like 127.0.0.1:9747 or \"[::1]:9747\"")]
    [InlineData("metrics: { listen: \"localhost:9747\" }", "host.metrics.listen: 'localhost' is not an IP address; write it like 127.0.0.1:9747 or \"[::1]:9747\"")]
    [InlineData("metrics: { listen: \"::1:9747\" }", "host.metrics.listen: '::1:9747' is not an address and port; write it like 127.0.0.1:9747 or \"[::1]:9747\"")]
    [InlineData("metrics: { listen: \"[127.0.0.1]:9747\" }", "host.metrics.listen: '127.0.0.1' is not an IP address; write it like 127.0.0.1:9747 or \"[::1]:9747\"")]
    [InlineData("metrics: { listen: \"127.0.0.1:\" }", "host.metrics.listen: '' is not a port number; write it like 127.0.0.1:9747 or \"[::1]:9747\"")]
    [InlineData("metrics: { listen: \"127.0.0.1:http\" }", "host.metrics.listen: 'http' is not a port number; write it like 127.0.0.1:9747 or \"[::1]:9747\"")]
    [InlineData("metrics: { listen: \"127.0.0.1:70000\" }", "host.metrics.listen: port 70000 is outside 1..65535")]
    [InlineData("metrics: { listen: \"127.0.0.1:0\" }", "host.metrics.listen: port 0 is outside 1..65535")]
    [InlineData("metrics: { listen: \"224.0.0.1:9747\" }", "host.metrics.listen: 224.0.0.1 is a multicast address; listen on a local address such as 127.0.0.1")]
    [InlineData("portRules: [web]", "host.portRules: expected a mapping from port rule names to settings, got a list")]
    [InlineData("portRules: { web: 50 }", "host.portRules.web: expected a mapping, got '50'")]
    [InlineData("portRules: { web: { loadWeight: half } }", "host.portRules.web.loadWeight: expected an integer or equal, got 'half'")]
    [InlineData("portRules: { web: { loadWeight: '50' } }", "host.portRules.web.loadWeight: expected an integer or equal, got the quoted string '50'")]
    [InlineData("portRules: { web: { loadWeight: } }", "host.portRules.web.loadWeight: expected an integer or equal, got nothing")]
    [InlineData("portRules: { web: { handlingPriority: first } }", "host.portRules.web.handlingPriority: expected an integer, got 'first'")]
    public void Parse_WrongHostValue_IsReported(string line, string error)
    {
        var key = line[..line.IndexOf(':', StringComparison.Ordinal)];
        var host = string.Join('\n', Host.Split('\n').Where(l => !l.TrimStart().StartsWith(key + ":", StringComparison.Ordinal)));
        ConfigAssert.Rejects($"cluster:\n  name: lab\n  vips: [192.0.2.100]\n{Key}  portRules:\n    - name: web\n      ports: 80\n{host}\n  {line}\n", error);
    }

    [Theory]
    [InlineData("metrics: { listen: 127.0.0.1:9100 }", true, "127.0.0.1", 9100)]
    [InlineData("metrics: { listen: \"0.0.0.0:9747\" }", true, "0.0.0.0", 9747)]
    [InlineData("metrics: { listen: \"[::]:9747\", enabled: true }", true, "::", 9747)]
    [InlineData("metrics: { enabled: false }", false, "127.0.0.1", 9747)]
    [InlineData("metrics:\n    listen: 192.0.2.11:9747", true, "192.0.2.11", 9747)]
    public void Parse_MetricsEndpoint_IsRead(string line, bool enabled, string address, int port)
    {
        var config = ConfigAssert.Accepts($"cluster:\n  name: lab\n  vips: [192.0.2.100]\n{Key}  portRules: []\n{Host}\n  {line}\n");

        Assert.Equal(new MetricsConfig { Enabled = enabled, Address = IPAddress.Parse(address), Port = port }, config.Host.Metrics);
    }

    [Fact]
    public void Parse_DuplicateKey_IsReportedWithWhereItWasFirstGiven()
    {
        ConfigAssert.Rejects(
            $"cluster:\n  name: lab\n  vips: [192.0.2.100]\n  name: lab2\n{Key}  portRules: []\n{Host}",
            "cluster.name: duplicate key; first given at line 2, column 3");
    }

    [Fact]
    public void Parse_AffinityOnSingleHostRule_IsReportedEvenWhenItIsTheDefault()
    {
        ConfigAssert.Rejects(
            $"cluster:\n  name: lab\n  vips: [192.0.2.100]\n{Key}  portRules:\n    - name: ssh\n      ports: 22\n      filtering: single\n      affinity: single\n{Host}",
            "cluster.portRules[0].affinity: affinity applies only to filtering: multiple");
    }

    [Fact]
    public void Parse_WeirdKey_IsShownQuotedAndEscaped()
    {
        ConfigAssert.Rejects(
            $"cluster:\n  name: lab\n  vips: [192.0.2.100]\n{Key}  portRules: []\n  \"port rules\\t\": []\n{Host}",
            "cluster[\"port rules\\u0009\"]: unknown key; expected one of name, vips, mode, filterIcmp, heartbeat, portRules");
    }

    [Fact]
    public void Parse_LongValue_IsCutShortInTheMessage()
    {
        var name = new string('x', 5000);

        ConfigAssert.Rejects(
            ConfigSamples.MinimalYaml.Replace("name: lab", $"name: {name}", StringComparison.Ordinal),
            $"cluster.name: '{new string('x', 40)}...' is not a valid cluster name: 1 to 32 of a-z, 0-9 and -");
    }

    [Fact]
    public void Parse_SeveralMistakes_ReportsEveryOneOfThem()
    {
        ConfigAssert.Rejects(
            """
            cluster:
              name: Lab
              vips: [192.0.2.100, 192.0.2.100, 192.0.2.400]
              mode: unicst
              heartbeat: { periodMs: 5, tolerance: 2, key: c2hvcnQ= }
              portRules:
                - name: web
                  ports: 80
                  protocol: tcp
                - name: web2
                  ports: 70-90
                - name: bad
                  ports: 80-70
                  filtering: single
                  affinity: none
                - name: web
                  vip: 192.0.2.7
                  ports: 443
            host:
              priority: 65
              interface: eth0:1
              dedicatedIp: 192.0.2.100/24
              portRules:
                webb: { loadWeight: 101 }
                web: { handlingPriority: 0 }
            """,
            "cluster.vips[2]: '192.0.2.400' is not an IP address",
            "cluster.mode: expected unicast or multicast, got 'unicst'",
            "cluster.heartbeat.key: the key decodes to 5 bytes; a cluster key needs at least 16: make one with `head -c 32 /dev/urandom | base64`",
            "cluster.portRules[2].affinity: affinity applies only to filtering: multiple",
            "cluster.name: 'Lab' is not a valid cluster name: 1 to 32 of a-z, 0-9 and -",
            "cluster.vips[1]: duplicate of vips[0]",
            "cluster.heartbeat.periodMs: 5 is outside 10..10000",
            "cluster.heartbeat.tolerance: 2 is outside 3..100",
            "cluster.portRules[2].ports: 80-70 is an empty range",
            "cluster.portRules[3].name: duplicate name 'web' (also portRules[0])",
            "cluster.portRules[1].ports: overlaps portRules[0] (web)",
            "host.priority: 65 is outside 1..64",
            "host.interface: 'eth0:1' is not a valid interface name: 1 to 15 printable ASCII characters, no '/', ':', quotes or whitespace",
            "host.dedicatedIp: 192.0.2.100 is a VIP of the cluster; the dedicated IP must be the host's own",
            "host.portRules.webb: no port rule named 'webb'",
            "host.portRules.webb.loadWeight: 101 is outside 0..100",
            "host.portRules.web.handlingPriority: 0 is outside 1..64");
    }

    [Fact]
    public void Parse_ValueThatCouldNotBeRead_DoesNotCauseFollowOnErrors()
    {
        // The rule's name is missing, so the host's reference to it cannot be judged; its VIP is
        // unreadable, so whether it is a cluster VIP or overlaps cannot be judged either.
        ConfigAssert.Rejects(
            """
            cluster:
              name: lab
              vips: [192.0.2.100, 192.0.2.1000]
              heartbeat: { keyFile: /k }
              portRules:
                - ports: 80
                  vip: 192.0.2.1000
                - name: other
                  vip: 192.0.2.1000
                  ports: 80
            host:
              priority: 1
              interface: eth0
              dedicatedIp: 192.0.2.11/24
              portRules:
                web: { loadWeight: 10 }
            """,
            "cluster.vips[1]: '192.0.2.1000' is not an IP address",
            "cluster.portRules[0].name: required key is missing",
            "cluster.portRules[0].vip: expected a VIP of the cluster or all, got '192.0.2.1000'",
            "cluster.portRules[1].vip: expected a VIP of the cluster or all, got '192.0.2.1000'");
    }

    [Theory]
    [InlineData("cluster: [1, 2\n", "line 2, column 1: While parsing a flow sequence, did not find expected ',' or ']'.")]
    [InlineData("cluster:\n  name: lab\n   vips: x\n", "line 3, column 8: While scanning a plain scalar value, found invalid mapping.")]
    [InlineData("cluster: \"open\n", "line 1, column 10: While scanning a quoted scalar, found unexpected end of stream.")]
    [InlineData("cluster:\n  name: lab\n \tvips: x\n", "line 3, column 2: While scanning a plain scalar, found a tab character that violate indentation.")]
    [InlineData("cluster:\n  name: lab\n  vips:\n\t- x\n", "line 4, column 1: While scanning a mapping, found invalid tab as indentation.")]
    [InlineData("cluster:\n  name: lab\n  vips: [192.0.2.100\n  mode: unicast\nhost:\n  priority: 1\n", "line 3, column 9: " + OpenNlb.Core.Configuration.Yaml.YamlTreeReader.MalformedAfter)]
    public void Parse_YamlSyntaxError_IsReportedAtItsLineAndColumn(string yaml, string error)
    {
        ConfigAssert.Rejects(yaml, error);
    }

    [Theory]
    [InlineData("cluster: &c { name: lab }\nhost: *c\n", "line 2, column 7: aliases (*name) are not supported")]
    [InlineData("cluster: !!map { name: lab }\n", "line 1, column 10: tags (!name) are not supported")]
    [InlineData("cluster:\n  name: !!str lab\n", "line 2, column 9: tags (!name) are not supported")]
    [InlineData("cluster: {}\n---\nhost: {}\n", "line 2, column 1: only one YAML document is allowed")]
    [InlineData("? [a, b]\n: c\n", "line 1, column 3: a key must be a plain value, not a list")]
    public void Parse_YamlFeaturesAConfigurationDoesNotNeed_AreRefused(string yaml, string error)
    {
        ConfigAssert.Rejects(yaml, error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n")]
    [InlineData("# only a comment\n")]
    [InlineData("---\n")]
    [InlineData("~\n")]
    public void Parse_EmptyText_IsReportedAsEmpty(string yaml)
    {
        ConfigAssert.Rejects(yaml, "document: the configuration is empty");
    }

    [Theory]
    [InlineData("lab\n", "document: expected a mapping, got 'lab'")]
    [InlineData("- cluster\n", "document: expected a mapping, got a list")]
    public void Parse_DocumentThatIsNotAMapping_IsReported(string yaml, string error)
    {
        ConfigAssert.Rejects(yaml, error);
    }

    [Fact]
    public void Parse_ByteOrderMarkAndCrLf_AreAccepted()
    {
        var config = ConfigAssert.Accepts("\uFEFF" + ConfigSamples.FullYaml.Replace("\n", "\r\n", StringComparison.Ordinal));

        ConfigAssert.Equal(ConfigSamples.Full(), config);
    }
}
