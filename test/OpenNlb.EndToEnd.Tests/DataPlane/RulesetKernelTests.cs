using System.Net;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.DataPlane;
using OpenNlb.EndToEnd.Tests.Support;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.DataPlane;

/// <summary>The rendered scripts are accepted by the real nft and leave the kernel in the intended state.</summary>
public sealed class RulesetKernelTests
{
    private const int Buckets = 64;

    private static ClusterConfig Cluster(OperationMode mode) => new()
    {
        Name = "t",
        Vips = [IPAddress.Parse("192.0.2.100"), IPAddress.Parse("192.0.2.101")],
        Mode = mode,
        PortRules =
        [
            new PortRule { Name = "web", Ports = new PortRange(80, 80), Protocol = Protocol.Tcp, Affinity = Affinity.None },
            new PortRule { Name = "dns", Vip = IPAddress.Parse("192.0.2.101"), Ports = new PortRange(53, 53), Protocol = Protocol.Both, Affinity = Affinity.Network },
            new PortRule { Name = "ssh", Ports = new PortRange(22, 22), Protocol = Protocol.Tcp, Filtering = FilteringMode.Single },
            new PortRule { Name = "off", Ports = new PortRange(1000, 2000), Protocol = Protocol.Udp, Filtering = FilteringMode.Disabled },
        ],
    };

    private static Ownership Owning(IReadOnlyList<int> buckets, bool single, bool isDefault) =>
        new([new RuleOwnership(buckets, false), new RuleOwnership(buckets, false), new RuleOwnership([], single), RuleOwnership.None], isDefault);

    [Theory]
    [InlineData(OperationMode.Unicast)]
    [InlineData(OperationMode.Multicast)]
    public async Task FullUpdateAndRemove_AreAcceptedByTheKernel(OperationMode mode)
    {
        Requires.RootAndTools("nft");
        await using var ns = await TestNamespace.CreateAsync("rk");
        var spec = new DataPlaneSpec(Cluster(mode), HostPriority: 2, Interface: "eth0", BucketCount: Buckets, HashSeed: 0xabcdef01);

        var first = Owning([1, 2, 3, 10], single: false, isDefault: false);
        await ns.NftAsync(RulesetRenderer.RenderFull(spec, first));
        var listed = await ns.ExecCheckedAsync("nft", "list", "map", "ip", NftNames.Table, NftNames.BucketMap(0));
        Assert.Contains("10 : accept", listed, StringComparison.Ordinal);

        var second = Owning([2, 3, 4, 63], single: true, isDefault: true);
        await ns.NftAsync(RulesetRenderer.RenderUpdate(spec, first, second));
        listed = await ns.ExecCheckedAsync("nft", "list", "table", "ip", NftNames.Table);
        Assert.Contains("63 : accept", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(" 1 : accept", listed, StringComparison.Ordinal);
        Assert.Matches(@"chain uncovered \{\s*accept", listed);
        Assert.Matches(@"chain rule2_single \{\s*accept", listed);
        Assert.Contains(mode == OperationMode.Unicast ? "table netdev opennlb" : "table arp opennlb", await ns.ExecCheckedAsync("nft", "list", "tables"), StringComparison.Ordinal);

        // Idempotent: a second full render replaces rather than fails.
        await ns.NftAsync(RulesetRenderer.RenderFull(spec, second));

        await ns.NftAsync(RulesetRenderer.RenderRemove(spec));
        Assert.DoesNotContain("opennlb", await ns.ExecCheckedAsync("nft", "list", "tables"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadUpdate_IsRejectedWhole_AndTheOldRulesetStays()
    {
        Requires.RootAndTools("nft");
        await using var ns = await TestNamespace.CreateAsync("rk");
        var spec = new DataPlaneSpec(Cluster(OperationMode.Unicast), 2, "eth0", Buckets, 1);
        var first = Owning([1, 2], single: false, isDefault: false);
        await ns.NftAsync(RulesetRenderer.RenderFull(spec, first));
        var before = await ns.ExecCheckedAsync("nft", "list", "table", "ip", NftNames.Table);

        // A valid change followed by an invalid command in the same script: nothing may apply.
        var script = RulesetRenderer.RenderUpdate(spec, first, Owning([5, 6], false, true)) + "add element ip opennlb nosuchmap { 1 : accept }\n";
        var result = await ns.ExecAsync("sh", "-c", $"printf '%s' '{script}' | nft -f -");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Equal(before, await ns.ExecCheckedAsync("nft", "list", "table", "ip", NftNames.Table));
    }
}
