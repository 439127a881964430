using System.Net;
using System.Net.Sockets;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Hashing;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.KernelHash;

/// <summary>
/// The C# model against the real kernel: every flow's conntrack mark, set by nft's jhash, must be the
/// bucket FlowHash.Bucket computes, for every affinity, transport and bucket count.
/// </summary>
public sealed class KernelJhashEquivalenceTests
{
    private const int MinimumFlowsPerAffinity = 10_000;

    private static readonly int[] BucketCounts = [2048, 4096, 60];
    private static readonly uint[] Seeds = [HashSeed.ForCluster("lab"), HashSeed.ForCluster("dc1-web")];
    private static readonly PortRange RulePorts = new(20000, 20099);

    [Fact]
    public async Task Kernel_BucketsEveryIPv4Flow_AsTheModelDoes()
    {
        KernelHashPrerequisites.SkipUnlessMet();
        var clients = ClientSets.IPv4(4_000, new Random(20_251_101), RulePorts);
        var rules = HashRule.Matrix(AddressFamily.InterNetwork, BucketCounts, Seeds, (ushort)RulePorts.First);

        var report = await KernelHashCheck.RunAsync(
            IPAddress.Loopback, rules, clients, clients[..500], TestContext.Current.CancellationToken);

        AssertKernelAgrees(report);
        foreach (var affinity in new[] { Affinity.None, Affinity.Single, Affinity.Network })
        {
            Assert.True(
                report.Flows.Count(flow => flow.Rule.Affinity == affinity) >= MinimumFlowsPerAffinity,
                $"fewer than {MinimumFlowsPerAffinity} flows with affinity {affinity}");
        }
    }

    [Fact]
    public async Task Kernel_BucketsEveryIPv6LoopbackFlow_AsTheModelDoes()
    {
        KernelHashPrerequisites.SkipUnlessMet();
        var clients = ClientSets.IPv6Loopback(1_500, new Random(20_251_102), RulePorts);
        var rules = HashRule.Matrix(AddressFamily.InterNetworkV6, BucketCounts, Seeds, (ushort)RulePorts.First);

        var report = await KernelHashCheck.RunAsync(
            IPAddress.IPv6Loopback, rules, clients, clients[..300], TestContext.Current.CancellationToken);

        AssertKernelAgrees(report);
    }

    private static void AssertKernelAgrees(KernelHashReport report)
    {
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{report.Flows.Count} flows sent, {report.Flows.Count - report.NotInConntrack.Count} checked against " +
            $"the kernel, {report.Mismatches.Count} mismatches, {report.DistinctKernelBuckets} distinct (rule, bucket) " +
            $"pairs, {report.Elapsed.TotalSeconds:F1} s");
        Assert.Empty(report.RulesNotListedBack);
        Assert.Empty(report.NotInConntrack);
        Assert.True(
            report.Mismatches.Count == 0,
            $"{report.Mismatches.Count} of {report.Flows.Count} flows differ, e.g.:\n" +
            string.Join('\n', report.Mismatches.Take(10)));
        Assert.NotEmpty(report.Flows);
    }
}
