using System.Net;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Membership;
using Xunit;

namespace OpenNlb.Core.Tests.Configuration;

public sealed class ConfigValidatorTests
{
    [Fact]
    public void Validate_Samples_AreValid()
    {
        Assert.Empty(ConfigValidator.Validate(ConfigSamples.Small()));
        Assert.Empty(ConfigValidator.Validate(ConfigSamples.Full()));
    }

    [Theory]
    [InlineData("lab")]
    [InlineData("a")]
    [InlineData("0")]
    [InlineData("web-farm-2")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")]
    public void ClusterName_InTheSet_IsValid(string name)
    {
        AssertValid(ConfigSamples.WithCluster(c => c with { Name = name }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Lab")]
    [InlineData("lab_1")]
    [InlineData("lab.example")]
    [InlineData("lab 1")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456")]
    public void ClusterName_OutsideTheSet_IsAnError(string name)
    {
        AssertErrors(
            ConfigSamples.WithCluster(c => c with { Name = name }),
            $"cluster.name: '{name}' is not a valid cluster name: 1 to 32 of a-z, 0-9 and -");
    }

    [Fact]
    public void Vips_None_IsAnError()
    {
        AssertErrors(
            ConfigSamples.WithCluster(c => c with { Vips = [], PortRules = [] }),
            "cluster.vips: at least one VIP is required");
    }

    [Fact]
    public void Vips_Repeated_IsAnErrorOnTheRepeat()
    {
        AssertErrors(
            ConfigSamples.WithCluster(c => c with { Vips = [Ip("192.0.2.100"), Ip("192.0.2.101"), Ip("192.0.2.100")] }),
            "cluster.vips[2]: duplicate of vips[0]");
    }

    [Theory]
    [InlineData("0.0.0.0", "the unspecified address")]
    [InlineData("::", "the unspecified address")]
    [InlineData("127.0.0.1", "a loopback address")]
    [InlineData("127.1.2.3", "a loopback address")]
    [InlineData("::1", "a loopback address")]
    [InlineData("224.0.0.1", "a multicast address")]
    [InlineData("239.255.255.255", "a multicast address")]
    [InlineData("ff02::1", "a multicast address")]
    [InlineData("255.255.255.255", "the broadcast address")]
    public void Vips_NotUnicast_IsAnError(string vip, string what)
    {
        AssertErrors(
            ConfigSamples.WithCluster(c => c with { Vips = [Ip("192.0.2.100"), Ip(vip)] }),
            $"cluster.vips[1]: {vip} is {what}");
    }

    [Theory]
    [InlineData("223.255.255.254")]
    [InlineData("240.0.0.1")]
    [InlineData("2001:db8::100")]
    public void Vips_UnicastOfEitherFamily_AreValid(string vip)
    {
        AssertValid(ConfigSamples.WithCluster(c => c with { Vips = [Ip(vip)] }));
    }

    [Fact]
    public void Vips_MoreThanTheLimit_IsAnError()
    {
        var vips = Enumerable.Range(1, ConfigLimits.MaxVips + 1).Select(i => Ip($"198.51.100.{i}")).ToArray();

        AssertErrors(
            ConfigSamples.WithCluster(c => c with { Vips = vips }),
            $"cluster.vips: at most {ConfigLimits.MaxVips} VIPs are allowed, got {ConfigLimits.MaxVips + 1}");
    }

    [Theory]
    [InlineData(9, 5, 2526, "cluster.heartbeat.periodMs: 9 is outside 10..10000")]
    [InlineData(10001, 5, 2526, "cluster.heartbeat.periodMs: 10001 is outside 10..10000")]
    [InlineData(100, 2, 2526, "cluster.heartbeat.tolerance: 2 is outside 3..100")]
    [InlineData(100, 101, 2526, "cluster.heartbeat.tolerance: 101 is outside 3..100")]
    [InlineData(100, 5, 0, "cluster.heartbeat.port: 0 is outside 1..65535")]
    [InlineData(100, 5, 65536, "cluster.heartbeat.port: 65536 is outside 1..65535")]
    public void Heartbeat_OutOfRange_IsAnError(int periodMs, int tolerance, int port, string error)
    {
        AssertErrors(
            ConfigSamples.WithCluster(c => c with { Heartbeat = c.Heartbeat with { PeriodMs = periodMs, Tolerance = tolerance, Port = port } }),
            error);
    }

    [Theory]
    [InlineData(10, 3, 1)]
    [InlineData(10000, 100, 65535)]
    public void Heartbeat_AtTheBounds_IsValid(int periodMs, int tolerance, int port)
    {
        AssertValid(ConfigSamples.WithCluster(c => c with { Heartbeat = c.Heartbeat with { PeriodMs = periodMs, Tolerance = tolerance, Port = port } }));
    }

    [Fact]
    public void Heartbeat_Defaults_DetectInA250MsAndLeaseFor150Ms()
    {
        var heartbeat = new HeartbeatConfig();

        Assert.Equal(TimeSpan.FromMilliseconds(50), heartbeat.Period);
        Assert.Equal(TimeSpan.FromMilliseconds(250), heartbeat.DetectionTime);
        Assert.Equal(TimeSpan.FromMilliseconds(200), heartbeat.Lease);
    }

    [Theory]
    [InlineData(10, 3, 20)]
    [InlineData(100, 4, 300)]
    [InlineData(10_000, 100, 990_000)]
    public void Heartbeat_Lease_IsAPeriodShortOfTheDetectionTime(int periodMs, int tolerance, int leaseMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(leaseMs), new HeartbeatConfig { PeriodMs = periodMs, Tolerance = tolerance }.Lease);
    }

    [Fact]
    public void Key_Missing_IsAnErrorThatSaysHowToMakeOne()
    {
        AssertErrors(
            ConfigSamples.WithCluster(c => c with { Heartbeat = c.Heartbeat with { Key = null } }),
            "cluster.heartbeat.key: a cluster key is required: give key (base64, at least 16 bytes) or keyFile (an absolute path to a file holding it); make one with `head -c 32 /dev/urandom | base64`");
    }

    [Fact]
    public void Key_AndKeyFileBoth_IsAnError()
    {
        AssertErrors(
            ConfigSamples.WithCluster(c => c with { Heartbeat = c.Heartbeat with { KeyFile = "/etc/opennlb/cluster.key" } }),
            "cluster.heartbeat.keyFile: give either key or keyFile, not both");
    }

    [Theory]
    [InlineData("/etc/opennlb/cluster.key")]
    [InlineData("/k")]
    public void KeyFile_AbsolutePath_IsValid(string path)
    {
        AssertValid(ConfigSamples.WithCluster(c => c with { Heartbeat = c.Heartbeat with { Key = null, KeyFile = path } }));
    }

    [Theory]
    [InlineData("", "''")]
    [InlineData("/", "'/'")]
    [InlineData("cluster.key", "'cluster.key'")]
    [InlineData("./cluster.key", "'./cluster.key'")]
    [InlineData("~/cluster.key", "'~/cluster.key'")]
    [InlineData("/etc/\0key", "'/etc/\\u0000key'")]
    public void KeyFile_NotAnAbsolutePath_IsAnError(string path, string shown)
    {
        AssertErrors(
            ConfigSamples.WithCluster(c => c with { Heartbeat = c.Heartbeat with { Key = null, KeyFile = path } }),
            $"cluster.heartbeat.keyFile: {shown} is not an absolute file path; write it like /etc/opennlb/cluster.key");
    }

    [Fact]
    public void Key_ShorterThan16Bytes_CannotBeMade()
    {
        Assert.Throws<ArgumentException>(() => new ClusterKey(new byte[ClusterKey.MinLength - 1]));
    }

    [Theory]
    [InlineData("Web_2.v1-a")]
    [InlineData("x")]
    [InlineData("abcdefghijklmnopqrstuvwxyzABCDEF")]
    public void RuleName_InTheSet_IsValid(string name)
    {
        AssertValid(ConfigSamples.WithRules(ConfigSamples.Rule(name, 80, 80)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("web farm")]
    [InlineData("web/1")]
    [InlineData("abcdefghijklmnopqrstuvwxyzABCDEFG")]
    public void RuleName_OutsideTheSet_IsAnError(string name)
    {
        AssertErrors(
            ConfigSamples.WithRules(ConfigSamples.Rule(name, 80, 80)),
            $"cluster.portRules[0].name: '{name}' is not a valid port rule name: 1 to 32 of A-Z, a-z, 0-9, _, . and -");
    }

    [Fact]
    public void RuleName_Repeated_IsAnErrorOnTheRepeat()
    {
        AssertErrors(
            ConfigSamples.WithRules(ConfigSamples.Rule("web", 80, 80), ConfigSamples.Rule("dns", 53, 53), ConfigSamples.Rule("web", 443, 443)),
            "cluster.portRules[2].name: duplicate name 'web' (also portRules[0])");
    }

    [Fact]
    public void RuleVip_NotACLusterVip_IsAnError()
    {
        AssertErrors(
            ConfigSamples.WithRules(ConfigSamples.Rule("web", 80, 80, vip: "192.0.2.99")),
            "cluster.portRules[0].vip: 192.0.2.99 is not one of cluster.vips");
    }

    [Theory]
    [InlineData(80, 70, "cluster.portRules[0].ports: 80-70 is an empty range")]
    [InlineData(70000, 70000, "cluster.portRules[0].ports: 70000 is outside 0..65535")]
    [InlineData(1, 65536, "cluster.portRules[0].ports: 1-65536 is outside 0..65535")]
    [InlineData(-1, 80, "cluster.portRules[0].ports: -1-80 is outside 0..65535")]
    public void RulePorts_EmptyOrOutOfRange_IsAnError(int first, int last, string error)
    {
        AssertErrors(ConfigSamples.WithRules(ConfigSamples.Rule("web", first, last)), error);
    }

    [Fact]
    public void RulePorts_EmptyRangeAsWritten_IsReportedAsWritten()
    {
        ConfigAssert.Rejects(
            ConfigSamples.MinimalYaml.Replace("ports: 80", "ports: 80-70", StringComparison.Ordinal),
            "cluster.portRules[0].ports: 80-70 is an empty range");
    }

    [Theory]
    [InlineData(Protocol.Tcp, Protocol.Tcp)]
    [InlineData(Protocol.Tcp, Protocol.Both)]
    [InlineData(Protocol.Both, Protocol.Udp)]
    [InlineData(Protocol.Both, Protocol.Both)]
    public void Overlap_SameScopeSharedProtocolSharedPort_IsAnErrorOnTheLaterRule(Protocol first, Protocol second)
    {
        AssertErrors(
            ConfigSamples.WithRules(ConfigSamples.Rule("web", 80, 90, first), ConfigSamples.Rule("alt", 90, 100, second)),
            "cluster.portRules[1].ports: overlaps portRules[0] (web)");
    }

    [Fact]
    public void Overlap_SameVip_IsAnError()
    {
        AssertErrors(
            ConfigSamples.WithRules(
                ConfigSamples.Rule("web", 0, 65535, vip: "192.0.2.100"),
                ConfigSamples.Rule("alt", 443, 443, vip: "192.0.2.100")),
            "cluster.portRules[1].ports: overlaps portRules[0] (web)");
    }

    [Fact]
    public void Overlap_WithSeveralEarlierRules_IsReportedOncePerRule()
    {
        AssertErrors(
            ConfigSamples.WithRules(
                ConfigSamples.Rule("web", 80, 80),
                ConfigSamples.Rule("https", 443, 443),
                ConfigSamples.Rule("wide", 0, 1000),
                ConfigSamples.Rule("wider", 0, 2000)),
            "cluster.portRules[2].ports: overlaps portRules[0] (web)",
            "cluster.portRules[2].ports: overlaps portRules[1] (https)",
            "cluster.portRules[3].ports: overlaps portRules[0] (web)",
            "cluster.portRules[3].ports: overlaps portRules[1] (https)",
            "cluster.portRules[3].ports: overlaps portRules[2] (wide)");
    }

    [Fact]
    public void Overlap_VipRuleOverAnAllRule_IsAllowedBecauseItTakesPrecedence()
    {
        AssertValid(ConfigSamples.WithRules(
            ConfigSamples.Rule("all-web", 0, 65535),
            ConfigSamples.Rule("vip-web", 80, 80, vip: "192.0.2.100")));
    }

    [Fact]
    public void Overlap_DifferentVips_IsAllowed()
    {
        var config = ConfigSamples.WithCluster(c => c with
        {
            Vips = [Ip("192.0.2.100"), Ip("192.0.2.101")],
            PortRules =
            [
                ConfigSamples.Rule("a", 80, 80, vip: "192.0.2.100"),
                ConfigSamples.Rule("b", 80, 80, vip: "192.0.2.101"),
            ],
        });

        AssertValid(config);
    }

    [Theory]
    [InlineData(Protocol.Tcp, Protocol.Udp, 80, 80)]
    [InlineData(Protocol.Both, Protocol.Both, 91, 100)]
    public void Overlap_DisjointProtocolsOrAdjacentPorts_IsAllowed(Protocol second, Protocol first, int from, int to)
    {
        AssertValid(ConfigSamples.WithRules(ConfigSamples.Rule("web", 80, 90, first), ConfigSamples.Rule("alt", from, to, second)));
    }

    [Theory]
    [InlineData(FilteringMode.Single, Affinity.None)]
    [InlineData(FilteringMode.Disabled, Affinity.Network)]
    public void Affinity_OnARuleThatIsNotMultiple_IsAnError(FilteringMode filtering, Affinity affinity)
    {
        AssertErrors(
            ConfigSamples.WithRules(ConfigSamples.Rule("web", 80, 80) with { Filtering = filtering, Affinity = affinity }),
            "cluster.portRules[0].affinity: affinity applies only to filtering: multiple");
    }

    [Theory]
    [InlineData(FilteringMode.Single)]
    [InlineData(FilteringMode.Disabled)]
    public void Affinity_LeftAtTheDefaultOnARuleThatIsNotMultiple_IsValid(FilteringMode filtering)
    {
        AssertValid(ConfigSamples.WithRules(ConfigSamples.Rule("web", 80, 80) with { Filtering = filtering }));
    }

    [Theory]
    [InlineData(Affinity.Single, 1)]
    [InlineData(Affinity.Network, 86_400)]
    public void AffinityTimeout_WithAffinity_IsValid(Affinity affinity, int seconds)
    {
        AssertValid(ConfigSamples.WithRules(ConfigSamples.Rule("web", 80, 80) with { Affinity = affinity, AffinityTimeoutSeconds = seconds }));
    }

    [Theory]
    [InlineData(FilteringMode.Multiple, Affinity.Single, -1, "cluster.portRules[0].affinityTimeoutSeconds: -1 is outside 0..86400")]
    [InlineData(FilteringMode.Multiple, Affinity.Single, 86_401, "cluster.portRules[0].affinityTimeoutSeconds: 86401 is outside 0..86400")]
    [InlineData(FilteringMode.Multiple, Affinity.None, 60, "cluster.portRules[0].affinityTimeoutSeconds: affinityTimeoutSeconds applies only to filtering: multiple with affinity single or network")]
    [InlineData(FilteringMode.Single, Affinity.Single, 60, "cluster.portRules[0].affinityTimeoutSeconds: affinityTimeoutSeconds applies only to filtering: multiple with affinity single or network")]
    [InlineData(FilteringMode.Disabled, Affinity.Single, 60, "cluster.portRules[0].affinityTimeoutSeconds: affinityTimeoutSeconds applies only to filtering: multiple with affinity single or network")]
    public void AffinityTimeout_OutOfRangeOrWithoutAffinity_IsAnError(FilteringMode filtering, Affinity affinity, int seconds, string error)
    {
        AssertErrors(
            ConfigSamples.WithRules(ConfigSamples.Rule("web", 80, 80) with { Filtering = filtering, Affinity = affinity, AffinityTimeoutSeconds = seconds }),
            error);
    }

    [Fact]
    public void PortRules_MoreThanTheLimit_IsAnError()
    {
        var rules = Enumerable.Range(0, ConfigLimits.MaxPortRules + 1).Select(i => ConfigSamples.Rule($"r{i}", i, i)).ToArray();

        AssertErrors(
            ConfigSamples.WithRules(rules),
            $"cluster.portRules: at most {ConfigLimits.MaxPortRules} port rules are allowed, got {ConfigLimits.MaxPortRules + 1}");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    [InlineData(-1)]
    public void HostPriority_OutOfRange_IsAnError(int priority)
    {
        AssertErrors(ConfigSamples.WithHost(h => h with { Priority = priority }), $"host.priority: {priority} is outside 1..64");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    public void HostPriority_AtTheBounds_IsValid(int priority)
    {
        AssertValid(ConfigSamples.WithHost(h => h with { Priority = priority }));
    }

    [Theory]
    [InlineData("eth0")]
    [InlineData("enp0s31f6")]
    [InlineData("eth0.100")]
    [InlineData("br-lan")]
    [InlineData("veth_a@b")]
    [InlineData("abcdefghijklmno")]
    public void Interface_LinuxName_IsValid(string name)
    {
        AssertValid(ConfigSamples.WithHost(h => h with { Interface = name }));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abcdefghijklmnop")]
    [InlineData("eth/0")]
    [InlineData("eth0:1")]
    [InlineData("eth 0")]
    [InlineData("eth\t0")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("eth\"0")]
    [InlineData("eth\\0")]
    [InlineData("ethé")]
    public void Interface_NotALinuxName_IsAnError(string name)
    {
        var shown = name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\t", "\\u0009", StringComparison.Ordinal);
        AssertErrors(
            ConfigSamples.WithHost(h => h with { Interface = name }),
            $"host.interface: '{shown}' is not a valid interface name: 1 to 15 printable ASCII characters, no '/', ':', quotes or whitespace");
    }

    [Theory]
    [InlineData("192.0.2.11", 0, "host.dedicatedIp: prefix length 0 is outside 1..32 for IPv4")]
    [InlineData("192.0.2.11", 33, "host.dedicatedIp: prefix length 33 is outside 1..32 for IPv4")]
    [InlineData("2001:db8::11", 129, "host.dedicatedIp: prefix length 129 is outside 1..128 for IPv6")]
    [InlineData("127.0.0.1", 8, "host.dedicatedIp: 127.0.0.1 is a loopback address")]
    [InlineData("0.0.0.0", 24, "host.dedicatedIp: 0.0.0.0 is the unspecified address")]
    [InlineData("224.0.0.5", 24, "host.dedicatedIp: 224.0.0.5 is a multicast address")]
    [InlineData("192.0.2.0", 24, "host.dedicatedIp: 192.0.2.0 is the network address of 192.0.2.0/24")]
    [InlineData("192.0.2.255", 24, "host.dedicatedIp: 192.0.2.255 is the broadcast address of 192.0.2.0/24")]
    [InlineData("192.0.2.100", 24, "host.dedicatedIp: 192.0.2.100 is a VIP of the cluster; the dedicated IP must be the host's own")]
    public void DedicatedIp_Invalid_IsAnError(string address, int prefix, string error)
    {
        AssertErrors(ConfigSamples.WithHost(h => h with { DedicatedIp = new(Ip(address), prefix) }), error);
    }

    [Theory]
    [InlineData("192.0.2.11", 1)]
    [InlineData("192.0.2.11", 32)]
    [InlineData("192.0.2.0", 31)]
    [InlineData("192.0.2.1", 31)]
    [InlineData("2001:db8::11", 64)]
    [InlineData("2001:db8::11", 128)]
    public void DedicatedIp_ValidForItsFamily_IsValid(string address, int prefix)
    {
        AssertValid(ConfigSamples.WithHost(h => h with { DedicatedIp = new(Ip(address), prefix) }));
    }

    [Fact]
    public void HostRuleSettings_ForAnUnknownRule_IsAnError()
    {
        AssertErrors(
            ConfigSamples.WithHost(h => h with { PortRules = Settings(("webb", new HostPortRule { LoadWeight = 10 })) }),
            "host.portRules.webb: no port rule named 'webb'");
    }

    [Theory]
    [InlineData(-1, null, "host.portRules.web.loadWeight: -1 is outside 0..100")]
    [InlineData(101, null, "host.portRules.web.loadWeight: 101 is outside 0..100")]
    [InlineData(null, 0, "host.portRules.web.handlingPriority: 0 is outside 1..64")]
    [InlineData(null, 65, "host.portRules.web.handlingPriority: 65 is outside 1..64")]
    public void HostRuleSettings_OutOfRange_IsAnError(int? weight, int? priority, string error)
    {
        AssertErrors(
            ConfigSamples.WithHost(h => h with { PortRules = Settings(("web", new HostPortRule { LoadWeight = weight, HandlingPriority = priority })) }),
            error);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(100, 64)]
    [InlineData(null, null)]
    public void HostRuleSettings_InRangeOrEqual_IsValid(int? weight, int? priority)
    {
        AssertValid(ConfigSamples.WithHost(h => h with { PortRules = Settings(("web", new HostPortRule { LoadWeight = weight, HandlingPriority = priority })) }));
    }

    [Fact]
    public void Validate_IPv6Cluster_IsValid()
    {
        var config = new NlbConfig(
            new ClusterConfig
            {
                Name = "lab6",
                Vips = [Ip("2001:db8::100")],
                Heartbeat = new HeartbeatConfig { Key = ConfigSamples.Key },
                PortRules = [ConfigSamples.Rule("web", 80, 80, vip: "2001:db8::100")],
            },
            new HostConfig { Priority = 1, Interface = "eth0", DedicatedIp = new(Ip("2001:db8::11"), 64) });

        AssertValid(config);
    }

    private static void AssertValid(NlbConfig config) => Assert.Equal([], ConfigAssert.Errors(ConfigValidator.Validate(config)));

    private static void AssertErrors(NlbConfig config, params string[] expected) =>
        Assert.Equal(expected, ConfigAssert.Errors(ConfigValidator.Validate(config)));

    private static IPAddress Ip(string text) => IPAddress.Parse(text);

    private static Dictionary<string, HostPortRule> Settings(params (string Name, HostPortRule Rule)[] rules) =>
        rules.ToDictionary(r => r.Name, r => r.Rule, StringComparer.Ordinal);
}
