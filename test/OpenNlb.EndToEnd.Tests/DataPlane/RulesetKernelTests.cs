using System.Net;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Convergence;
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

    [Fact]
    public async Task HandoverObjects_KeptBucketsLeaseAndForeignEntries_AreAcceptedByTheKernel()
    {
        Requires.RootAndTools("nft");
        await using var ns = await TestNamespace.CreateAsync("td");
        var spec = new DataPlaneSpec(Cluster(OperationMode.Unicast), HostPriority: 2, Interface: "eth0", BucketCount: Buckets, HashSeed: 7)
        {
            Lease = TimeSpan.FromSeconds(30),
            AffinityTimeouts = [TimeSpan.Zero, TimeSpan.FromMinutes(2)],
        };
        Ownership Kept(int[] owned, int[] kept) =>
            new([new RuleOwnership(owned, false, kept), new RuleOwnership(owned, false, kept), new RuleOwnership([], false, KeepsSingle: true), RuleOwnership.None], false, KeepsDefault: true);

        var first = Kept([1, 2, 3], [4]);
        var second = Kept([1], [2, 3]);
        await ns.NftAsync(RulesetRenderer.RenderFull(spec, first));
        await ns.NftAsync(RulesetRenderer.RenderUpdate(spec, first, second));
        var client = IPAddress.Parse("198.51.100.7");
        await ns.NftAsync(RulesetRenderer.RenderForeign(
            spec, [new HandoverFlow(1, client, 40000, IPAddress.Parse("192.0.2.101"), 53)], [new HandoverClient(1, client)]));

        var listed = await ns.ExecCheckedAsync("nft", "list", "table", "ip", NftNames.Table);
        Assert.Matches(@"map rule1_kept \{[^}]*elements = \{ 2 : goto rule1_keep, 3 : goto rule1_keep \}", listed);
        Assert.Matches(@"map rule0_kept \{[^}]*elements = \{ 2 : drop, 3 : drop \}", listed);
        Assert.Matches(@"set rule1_foreign_clients \{[^}]*elements = \{ 198\.51\.100\.0 ", listed);
        Assert.Matches(@"set foreign_flows \{[^}]*elements = \{ 198\.51\.100\.7 \. 40000 \. 192\.0\.2\.101 \. 53 ", listed);
        Assert.Matches(@"set lease \{[^}]*flags dynamic,timeout[^}]*elements = \{ ip timeout 30s ", listed);
        Assert.Contains("udp dport 2526 meta skuid 0 @th,64,48 0x4f4e4c420301 update @lease { meta protocol timeout 30s }", listed, StringComparison.Ordinal);
        Assert.Contains("ip saddr & 255.255.255.0 == @rule1_clients update @rule1_clients { ip saddr & 255.255.255.0 timeout 2m } accept", listed, StringComparison.Ordinal);
    }

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
        Assert.Matches(@"chain uncovered \{\s*counter name ""uncovered_accepted"" accept", listed);
        Assert.Matches(@"chain rule2_single \{\s*counter name ""rule2_accepted"" accept", listed);
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
