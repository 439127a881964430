using System.Net;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Control;
using OpenNlb.Core.Status;

namespace OpenNlb.Cli.Tests;

/// <summary>Answers as nlbd would give them, to format.</summary>
internal static class Samples
{
    public static NlbConfig Config { get; } = new(
        new ClusterConfig
        {
            Name = "lab",
            Vips = [IPAddress.Parse("192.0.2.100")],
            Heartbeat = new HeartbeatConfig { KeyFile = "/etc/opennlb/key" },
            PortRules =
            [
                new PortRule { Name = "web", Ports = new PortRange(80, 80), Protocol = Protocol.Tcp, Affinity = Affinity.None },
                new PortRule { Name = "sticky", Ports = new PortRange(8000, 8080), Protocol = Protocol.Tcp, AffinityTimeoutSeconds = 300 },
                new PortRule { Name = "ssh", Vip = IPAddress.Parse("192.0.2.100"), Ports = new PortRange(22, 22), Protocol = Protocol.Tcp, Filtering = FilteringMode.Single },
            ],
        },
        new HostConfig
        {
            Priority = 2,
            Interface = "eth0",
            DedicatedIp = new IPNetworkAddress(IPAddress.Parse("192.0.2.12"), 24),
            PortRules = new Dictionary<string, HostPortRule>(StringComparer.Ordinal)
            {
                ["web"] = new() { LoadWeight = 30 },
                ["ssh"] = new() { HandlingPriority = 1 },
            },
        });

    public static ParamsReport Params { get; } = ParamsReport.Of(Config, "/etc/opennlb/nlb.yaml", "00ff");

    public static HostStatus Status { get; } = new()
    {
        HostPriority = 2,
        ProcessId = 77,
        State = "converged",
        LiveHosts = [1, 2],
        Members = [1, 2],
        Epoch = (7UL << 8) | 1,
        DefaultHost = 1,
        BucketsOwned = new Dictionary<string, int> { ["web"] = 3781, ["sticky"] = 8192, ["ssh"] = 0 },
        BucketsKept = new Dictionary<string, int> { ["web"] = 2 },
        Rules = [new RuleStatus("web", "enabled", 30, 2), new RuleStatus("sticky", "draining", null, 2), new RuleStatus("ssh", "enabled", null, 1, "single")],
        Peers = [new PeerStatus(1, "started", true, true, null, (7UL << 8) | 1, 20)],
        Convergences = 4,
        LastConvergenceMs = 120,
        Counters = new Dictionary<string, long> { ["heartbeats_sent"] = 900, ["datagrams_rejected_bad_mac"] = 2 },
        UpdatedAt = new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero),
    };
}
