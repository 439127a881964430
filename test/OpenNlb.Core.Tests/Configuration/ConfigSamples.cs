using System.Net;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Membership;

namespace OpenNlb.Core.Tests.Configuration;

/// <summary>Configurations the tests start from and vary.</summary>
internal static class ConfigSamples
{
    /// <summary>The test cluster key: bytes 0..31, in base64.</summary>
    public const string KeyBase64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    /// <summary>A heartbeat section holding only the key, which every valid configuration needs.</summary>
    public const string KeyLine = "  heartbeat: { key: " + KeyBase64 + " }\n";

    public static ClusterKey Key { get; } = ClusterKey.FromBase64(KeyBase64);

    /// <summary>Uses every key with a non-default value where one exists.</summary>
    public const string FullYaml = $$"""
        cluster:
          name: lab
          vips: [192.0.2.100, 192.0.2.101]
          mode: multicast
          filterIcmp: false
          heartbeat: { periodMs: 250, tolerance: 4, port: 3000, key: {{KeyBase64}} }
          portRules:
            - name: web
              vip: all
              ports: 80
              protocol: tcp
              filtering: multiple
              affinity: none
            - name: web-101
              vip: 192.0.2.101
              ports: "80-90"
              protocol: both
              filtering: single
            - name: alt
              ports: 8000-8080
              protocol: udp
              filtering: disabled
            - name: rest
              vip: 192.0.2.100
              ports: all
              affinity: network
              affinityTimeoutSeconds: 1200
        host:
          priority: 3
          interface: eth0
          dedicatedIp: 192.0.2.13/24
          initialState: suspended
          metrics: { enabled: false, listen: "[::1]:9100" }
          portRules:
            web: { loadWeight: 50, handlingPriority: 1 }
            alt: { loadWeight: equal }
            web-101: { handlingPriority: 2 }
        """;

    /// <summary>Only the required keys.</summary>
    public const string MinimalYaml = $$"""
        cluster:
          name: lab
          vips: [192.0.2.100]
          heartbeat: { key: {{KeyBase64}} }
          portRules:
            - name: web
              ports: 80
        host:
          priority: 1
          interface: eth0
          dedicatedIp: 192.0.2.11/24
        """;

    public static NlbConfig Full() => new(
        new ClusterConfig
        {
            Name = "lab",
            Vips = [IPAddress.Parse("192.0.2.100"), IPAddress.Parse("192.0.2.101")],
            Mode = OperationMode.Multicast,
            FilterIcmp = false,
            Heartbeat = new HeartbeatConfig { PeriodMs = 250, Tolerance = 4, Port = 3000, Key = Key },
            PortRules =
            [
                new PortRule { Name = "web", Vip = null, Ports = new(80, 80), Protocol = Protocol.Tcp, Filtering = FilteringMode.Multiple, Affinity = Affinity.None },
                new PortRule { Name = "web-101", Vip = IPAddress.Parse("192.0.2.101"), Ports = new(80, 90), Protocol = Protocol.Both, Filtering = FilteringMode.Single },
                new PortRule { Name = "alt", Ports = new(8000, 8080), Protocol = Protocol.Udp, Filtering = FilteringMode.Disabled },
                new PortRule { Name = "rest", Vip = IPAddress.Parse("192.0.2.100"), Ports = new(0, 65535), Affinity = Affinity.Network, AffinityTimeoutSeconds = 1200 },
            ],
        },
        new HostConfig
        {
            Priority = 3,
            Interface = "eth0",
            DedicatedIp = new IPNetworkAddress(IPAddress.Parse("192.0.2.13"), 24),
            InitialState = HostState.Suspended,
            Metrics = new MetricsConfig { Enabled = false, Address = IPAddress.IPv6Loopback, Port = 9100 },
            PortRules = new Dictionary<string, HostPortRule>(StringComparer.Ordinal)
            {
                ["web"] = new HostPortRule { LoadWeight = 50, HandlingPriority = 1 },
                ["alt"] = new HostPortRule { LoadWeight = null },
                ["web-101"] = new HostPortRule { HandlingPriority = 2 },
            },
        });

    /// <summary>A small valid configuration for rule tests: one VIP, one rule, one host.</summary>
    public static NlbConfig Small() => new(
        new ClusterConfig
        {
            Name = "lab",
            Vips = [IPAddress.Parse("192.0.2.100")],
            Heartbeat = new HeartbeatConfig { Key = Key },
            PortRules = [Rule("web", 80, 80)],
        },
        new HostConfig
        {
            Priority = 1,
            Interface = "eth0",
            DedicatedIp = new IPNetworkAddress(IPAddress.Parse("192.0.2.11"), 24),
        });

    public static PortRule Rule(string name, int first, int last, Protocol protocol = Protocol.Both, string? vip = null) =>
        new() { Name = name, Ports = new(first, last), Protocol = protocol, Vip = vip is null ? null : IPAddress.Parse(vip) };

    public static NlbConfig WithRules(params PortRule[] rules)
    {
        var config = Small();
        return config with { Cluster = config.Cluster with { PortRules = rules } };
    }

    public static NlbConfig WithHost(Func<HostConfig, HostConfig> change)
    {
        var config = Small();
        return config with { Host = change(config.Host) };
    }

    public static NlbConfig WithCluster(Func<ClusterConfig, ClusterConfig> change)
    {
        var config = Small();
        return config with { Cluster = change(config.Cluster) };
    }
}
