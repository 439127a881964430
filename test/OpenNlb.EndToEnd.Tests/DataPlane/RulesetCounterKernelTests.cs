using System.Net;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.DataPlane;
using OpenNlb.Core.Metrics;
using OpenNlb.EndToEnd.Tests.Support;
using OpenNlb.Linux.Nftables;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.DataPlane;

/// <summary>
/// The ruleset's named counters count what the real kernel's -300 filter did with real packets,
/// per rule and verdict, and an update that moves buckets keeps counting where it was. Read by the
/// netlink dump nlbd uses.
/// </summary>
public sealed class RulesetCounterKernelTests
{
    private const int Buckets = 64;
    private const int Payload = 20;
    private const int IpUdpHeaders = 28;
    private static readonly IPAddress Vip = IPAddress.Parse("192.0.2.100");

    private static readonly ClusterConfig Cluster = new()
    {
        Name = "t",
        Vips = [Vip],
        PortRules =
        [
            new PortRule { Name = "mine", Ports = new PortRange(5000, 5000), Protocol = Protocol.Udp, Affinity = Affinity.None },
            new PortRule { Name = "theirs", Ports = new PortRange(5001, 5001), Protocol = Protocol.Udp, Affinity = Affinity.None },
            new PortRule { Name = "single", Ports = new PortRange(5002, 5002), Protocol = Protocol.Udp, Filtering = FilteringMode.Single },
            new PortRule { Name = "off", Ports = new PortRange(5003, 5003), Protocol = Protocol.Udp, Filtering = FilteringMode.Disabled },
        ],
    };

    [Fact]
    public async Task EachRulesVerdicts_AreCountedInPacketsAndBytes_AndSurviveAnUpdate()
    {
        Requires.RootAndTools("nft", "bash");
        await using var ns = await TestNamespace.CreateAsync("tmc");

        // The VIP on loopback: datagrams sent to it from inside the namespace loop back through
        // prerouting, where the filter judges them like any other.
        await ns.ExecCheckedAsync("ip", "addr", "add", $"{Vip}/32", "dev", "lo");
        var spec = new DataPlaneSpec(Cluster, HostPriority: 1, Interface: "eth0", BucketCount: Buckets, HashSeed: 5);
        var all = Enumerable.Range(0, Buckets).ToArray();
        var owning = new Ownership([new RuleOwnership(all, false), RuleOwnership.None, new RuleOwnership([], HandlesSingle: true), RuleOwnership.None], IsDefaultHost: false);
        await ns.NftAsync(RulesetRenderer.RenderFull(spec, owning));

        await SendAsync(ns, 5000, 7);
        await SendAsync(ns, 5001, 5);
        await SendAsync(ns, 5002, 3);
        await SendAsync(ns, 5003, 2);
        var counted = await CountersAsync(ns);

        Assert.Equal(new TrafficCount(7, 7 * (IpUdpHeaders + Payload)), counted[NftNames.AcceptedCounter(0)]);
        Assert.Equal(new TrafficCount(0, 0), counted[NftNames.DroppedCounter(0)]);
        Assert.Equal(new TrafficCount(0, 0), counted[NftNames.AcceptedCounter(1)]);
        Assert.Equal(new TrafficCount(5, 5 * (IpUdpHeaders + Payload)), counted[NftNames.DroppedCounter(1)]);
        Assert.Equal(3, counted[NftNames.AcceptedCounter(2)].Packets);
        Assert.Equal(2, counted[NftNames.DroppedCounter(3)].Packets);
        Assert.Equal(0, counted[NftNames.AcceptedCounter(3)].Packets);

        // Rule 0 moves to another host, rule 1 comes here: the counters go on from where they were.
        var moved = new Ownership([RuleOwnership.None, new RuleOwnership(all, false), new RuleOwnership([], false), RuleOwnership.None], IsDefaultHost: false);
        await ns.NftAsync(RulesetRenderer.RenderUpdate(spec, owning, moved));
        await SendAsync(ns, 5000, 4);
        await SendAsync(ns, 5001, 6);
        await SendAsync(ns, 5002, 1);
        counted = await CountersAsync(ns);

        Assert.Equal(7, counted[NftNames.AcceptedCounter(0)].Packets);
        Assert.Equal(4, counted[NftNames.DroppedCounter(0)].Packets);
        Assert.Equal(6, counted[NftNames.AcceptedCounter(1)].Packets);
        Assert.Equal(5, counted[NftNames.DroppedCounter(1)].Packets);
        Assert.Equal(1, counted[NftNames.DroppedCounter(2)].Packets);
    }

    /// <summary>Datagrams of <see cref="Payload"/> bytes, each from a socket of its own (a new source port), through bash's /dev/udp.</summary>
    private static Task<string> SendAsync(TestNamespace ns, int port, int count) =>
        ns.ExecCheckedAsync("bash", "-c", $"for i in $(seq {count}); do printf '%0{Payload}d' 0 > /dev/udp/{Vip}/{port}; done");

    /// <summary>Read as nlbd reads them, by a netlink dump from inside the namespace; checked against nft's own listing.</summary>
    private static async Task<IReadOnlyDictionary<string, TrafficCount>> CountersAsync(TestNamespace ns)
    {
        var counters = await ns.RunInsideAsync(() => NftCounterReader.Read(NftNames.Table));
        var listed = await ns.ExecCheckedAsync("nft", "list", "counters", "table", "ip", NftNames.Table);
        foreach (var (name, count) in counters)
        {
            Assert.Matches($@"counter {name} {{\s*packets {count.Packets} bytes {count.Bytes}\s", listed);
        }

        Assert.Equal((Cluster.PortRules.Count * 2) + 2, counters.Count);
        return counters;
    }
}
