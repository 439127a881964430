using System.Diagnostics;
using OpenNlb.Core.Configuration;
using OpenNlb.EndToEnd.Tests.Support;
using OpenNlb.Lab;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.Cluster;

[Collection("lab")]
public sealed class FailoverTests(ITestOutputHelper output)
{
    [Fact]
    public async Task HostWhoseLinkGoesDown_HasItsBucketsServedByTheOthers_WithinTheDetectionTime_AndIsTakenBack()
    {
        Requires.RootAndTools("nft");
        await Labs.DownAsync("tcf", TestContext.Current.CancellationToken);
        await using var lab = await Labs.UpAsync(new LabOptions { Name = "tcf", Hosts = 3, Clients = 1 }, TestContext.Current.CancellationToken);
        await Convergence.WaitAsync(lab, [1, 2, 3], TimeSpan.FromSeconds(15));
        var detection = new HeartbeatConfig().DetectionTime;
        var client = lab.ClientAddress(1);

        // Client ports whose connections host 2 owns while it is alive.
        var full = new LabModel(lab, [1, 2, 3]);
        var ports = Enumerable.Range(20000, 4000).Where(p => full.OwnerOf("web", client, p) == "h2").ToList();
        Assert.True(ports.Count > 500);

        await lab.SetLinkDownAsync(2, TestContext.Current.CancellationToken);
        var clock = Stopwatch.StartNew();
        var survivors = new LabModel(lab, [1, 3]);
        var next = 0;
        TimeSpan? servedAfter = null;
        while (clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            var roundStart = clock.Elapsed;
            var round = ports.Skip(next).Take(10).ToList();
            next += 10;
            var attempts = await Task.WhenAll(round.Select(async p =>
            {
                try
                {
                    var (_, host) = await LabTraffic.HttpAsync(lab, "c1", client, clientPort: p, timeout: TimeSpan.FromMilliseconds(100));
                    return host == survivors.OwnerOf("web", client, p);
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or System.Net.Sockets.SocketException)
                {
                    return false;
                }
            }));
            if (attempts.All(ok => ok))
            {
                // A round that began before the survivors took over would have lost connections,
                // so the start of the first whole round served is an upper bound on the takeover.
                servedAfter = roundStart;
                break;
            }
        }

        output.WriteLine($"host 2's buckets served by the survivors {servedAfter?.TotalMilliseconds:0} ms after its link went down (detection time {detection.TotalMilliseconds:0} ms)");
        Assert.NotNull(servedAfter);

        // Detection time, plus one heartbeat period for the tick that notices, plus recomputing and
        // applying the map and the probe round in flight at that moment (100 ms each at most).
        Assert.True(servedAfter <= detection + new HeartbeatConfig().Period + TimeSpan.FromMilliseconds(200), $"took {servedAfter?.TotalMilliseconds:0} ms");

        await lab.SetLinkUpAsync(2, TestContext.Current.CancellationToken);
        await Convergence.WaitAsync(lab, [1, 2, 3], TimeSpan.FromSeconds(10));
        var back = await Task.WhenAll(ports.Skip(next).Take(20).Select(p => LabTraffic.HttpAsync(lab, "c1", client, clientPort: p)));
        Assert.All(back, f => Assert.Equal("h2", f.Host));
    }
}
