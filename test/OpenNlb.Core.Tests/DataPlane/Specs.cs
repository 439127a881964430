using System.Net;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.DataPlane;
using Xunit;

namespace OpenNlb.Core.Tests.DataPlane;

/// <summary>Specs and ownerships for the renderer tests.</summary>
internal static class Specs
{
    public static readonly IPAddress Vip = IPAddress.Parse("192.0.2.100");
    public static readonly IPAddress Vip2 = IPAddress.Parse("192.0.2.101");

    /// <summary>A cluster with takeovers, so that the renderer tests see every chain (<see cref="WithoutTakeover"/> for the default).</summary>
    public static DataPlaneSpec Of(params PortRule[] rules) => new(
        new ClusterConfig { Name = "r", Vips = [Vip, Vip2], PortRules = rules, Heartbeat = new HeartbeatConfig { Takeover = true } },
        HostPriority: 1, Interface: "eth0", BucketCount: 64, HashSeed: 1);

    public static PortRule Rule(
        string name, int first, int last, IPAddress? vip = null, FilteringMode filtering = FilteringMode.Multiple,
        Protocol protocol = Protocol.Tcp, Affinity affinity = Affinity.Single) =>
        new() { Name = name, Vip = vip, Ports = new PortRange(first, last), Protocol = protocol, Filtering = filtering, Affinity = affinity };

    /// <summary>Four rules: web (tcp, no affinity), dns (both, network affinity, 60 s), ssh (single host), off (disabled).</summary>
    public static DataPlaneSpec Mixed() =>
        Of(
            Rule("web", 80, 80, affinity: Affinity.None),
            Rule("dns", 53, 53, Vip2, protocol: Protocol.Both, affinity: Affinity.Network),
            Rule("ssh", 22, 22, filtering: FilteringMode.Single),
            Rule("off", 1000, 2000, filtering: FilteringMode.Disabled, protocol: Protocol.Udp))
        with
        { AffinityTimeouts = [TimeSpan.Zero, TimeSpan.FromSeconds(60)] };

    public static DataPlaneSpec WithoutTakeover(DataPlaneSpec spec) =>
        spec with { Cluster = spec.Cluster with { Heartbeat = spec.Cluster.Heartbeat with { Takeover = false } } };

    public static RuleOwnership Multiple(int[] owned, int[] kept) => new(owned, HandlesSingle: false, kept);

    /// <summary>The lines of a rendered chain block, trimmed, without its braces.</summary>
    public static IReadOnlyList<string> Chain(string full, string name)
    {
        var lines = full.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim()).ToList();
        var start = lines.IndexOf($"chain {name} {{");
        Assert.True(start >= 0, $"no chain {name}");
        var end = lines.IndexOf("}", start);
        return lines[(start + 1)..end];
    }
}
