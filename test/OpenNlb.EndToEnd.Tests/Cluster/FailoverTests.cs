using System.Diagnostics;
using OpenNlb.Core.Configuration;
using OpenNlb.EndToEnd.Tests.Support;
using OpenNlb.Lab;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.Cluster;

[Collection("lab")]
public sealed class FailoverTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HostWhoseLinkGoesDown_HasItsBucketsServedByTheOthers_WithinTheDetectionTime_AndIsTakenBack()
    {
        Requires.RootAndTools("nft");
        await Labs.DownAsync("tcf", Ct);
        await using var lab = await Labs.UpAsync(new LabOptions { Name = "tcf", Hosts = 3, Clients = 1 }, Ct);
        await LabConvergence.WaitAsync(lab, [1, 2, 3], TimeSpan.FromSeconds(15), Ct);
        var detection = new HeartbeatConfig().DetectionTime;
        var client = lab.ClientAddress(1);

        // Client ports whose connections host 2 owns while it is alive.
        var full = new LabModel(lab, [1, 2, 3]);
        var ports = Enumerable.Range(20000, 4000).Where(p => full.OwnerOf("web", client, p) == "h2").ToList();
        Assert.True(ports.Count > 500);

        await lab.SetLinkDownAsync(2, Ct);
        var clock = Stopwatch.StartNew();
        var servedAfter = await FailoverProbe.RunAsync(lab, "c1", client, ports, new LabModel(lab, [1, 3]), clock, TimeSpan.FromSeconds(10), null, Ct);
        output.WriteLine($"host 2's buckets served by the survivors {servedAfter?.TotalMilliseconds:0} ms after its link went down (detection time {detection.TotalMilliseconds:0} ms)");
        Assert.NotNull(servedAfter);

        // Detection counts from the last heartbeat heard, which left before the link went down, so
        // the survivors act within the detection time. Then the coordinator's proposal and every
        // survivor's hand-over make one or two rounds (one period each at most, with a hand-over
        // collected from conntrack in about 40 ms), the claims are applied (60-200 ms on a loaded
        // machine) and the probe round in flight lands (25 ms). The targets (p50 300 ms,
        // p99 500 ms) are measured by `nlb bench convergence` over 20 crashes, not asserted by one.
        var bound = detection + (2 * new HeartbeatConfig().Period) + TimeSpan.FromMilliseconds(350);
        Assert.True(servedAfter <= bound, $"took {servedAfter?.TotalMilliseconds:0} ms, bound {bound.TotalMilliseconds:0} ms");

        await lab.SetLinkUpAsync(2, Ct);
        await LabConvergence.WaitAsync(lab, [1, 2, 3], TimeSpan.FromSeconds(10), Ct);
        var back = await Task.WhenAll(Enumerable.Range(40000, 4000).Where(p => full.OwnerOf("web", client, p) == "h2").Take(20)
            .Select(p => LabTraffic.HttpAsync(lab, "c1", client, clientPort: p)));
        Assert.All(back, f => Assert.Equal("h2", f.Host));
    }
}
