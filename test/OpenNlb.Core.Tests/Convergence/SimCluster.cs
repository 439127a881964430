using System.Net;
using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Convergence;
using OpenNlb.Core.Membership;

namespace OpenNlb.Core.Tests.Convergence;

/// <summary>
/// The cluster every simulation and node test uses: three port rules that cover the three kinds
/// of share (a multiple-host TCP rule, a multiple-host UDP rule with single affinity, a single-host
/// rule), 50 ms heartbeats, tolerance 5, and 64 buckets per rule so that runs are fast.
/// </summary>
internal static class SimCluster
{
    public const uint ClusterId = 7;

    public const ulong Fingerprint = 0x5EED_F00D;

    public const int Buckets = 64;

    public const int Web = 0;

    public const int Dns = 1;

    public const int Admin = 2;

    public static ClusterConfig Config { get; } = new()
    {
        Name = "sim",
        Vips = [IPAddress.Parse("192.0.2.10")],
        // With takeovers: the protocol the random runs check is the one with every rule in play.
        Heartbeat = new HeartbeatConfig { PeriodMs = 50, Tolerance = 5, Takeover = true },
        PortRules =
        [
            new PortRule { Name = "web", Ports = new PortRange(80, 80), Protocol = Protocol.Tcp, Affinity = Affinity.None },
            new PortRule { Name = "dns", Ports = new PortRange(53, 53), Protocol = Protocol.Udp, Affinity = Affinity.Single },
            new PortRule { Name = "admin", Ports = new PortRange(22, 22), Protocol = Protocol.Tcp, Filtering = FilteringMode.Single },
        ],
    };

    public static long PeriodMs => Config.Heartbeat.PeriodMs;

    public static long DetectionMs => (long)Config.Heartbeat.DetectionTime.TotalMilliseconds;

    public static bool IsMultiple(int rule) => Config.PortRules[rule].Filtering == FilteringMode.Multiple;

    /// <summary>Equal weights; the handling priority of the single-host rule is the host priority.</summary>
    public static MemberRule[] DefaultRules(int priority) =>
        Config.PortRules.Select(_ => new MemberRule(null, priority)).ToArray();

    public static NodeSettings Settings(
        int priority,
        ulong incarnation,
        IReadOnlyList<MemberRule>? rules = null,
        MemberState initial = MemberState.Started,
        bool restarted = false,
        ulong fingerprint = Fingerprint,
        bool takeover = true) =>
        new(
            takeover ? Config : Config with { Heartbeat = Config.Heartbeat with { Takeover = false } },
            new LocalIdentity(ClusterId, fingerprint, priority, incarnation, Config.PortRules.Count),
            rules ?? DefaultRules(priority),
            initial,
            restarted)
        {
            BucketCount = Buckets,
        };

    /// <summary>The map every host must compute from <paramref name="proposal"/>.</summary>
    public static ClusterMap MapOf(Proposal proposal) => BucketAllocator.Allocate(Config, proposal.Members, Buckets);

    public static string Epoch(ulong epoch) => epoch == 0 ? "-" : $"{epoch >> 8}.{epoch & 0xFF}";
}
