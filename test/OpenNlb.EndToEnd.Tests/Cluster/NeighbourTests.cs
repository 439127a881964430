using OpenNlb.EndToEnd.Tests.Support;
using OpenNlb.Lab;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.Cluster;

/// <summary>Neighbours learn of the MAC change in unicast mode at once, both ways.</summary>
[Collection("lab")]
public sealed class NeighbourTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ADedicatedIpStaysReachable_WhenNlbdChangesTheMac_AndWhenItRestoresIt()
    {
        Requires.RootAndTools("nft", "arping");
        await Labs.DownAsync("tcn", Ct);
        await using var lab = await Labs.UpAsync(new LabOptions { Name = "tcn", Hosts = 1, Clients = 1, NoNlbd = true }, Ct);
        var dip = lab.HostDip(1).ToString();
        var ownMac = lab.Host(1).Mac!;

        async Task<string> Neighbour()
        {
            // One ping, one second at most: an entry pointing at a MAC nobody has would fail it.
            var ping = await lab.ExecAsync("c1", ["ping", "-c", "1", "-W", "1", dip], TimeSpan.FromSeconds(5), Ct);
            Assert.True(ping.ExitCode == 0, $"{dip} unreachable from c1: {ping.StandardOutput}");
            return (await lab.ExecAsync("c1", ["ip", "neigh", "show", dip], TimeSpan.FromSeconds(5), Ct)).StandardOutput;
        }

        Assert.Contains(ownMac, await Neighbour(), StringComparison.OrdinalIgnoreCase);

        lab.StartNlbd(1);
        await LabConvergence.WaitAsync(lab, [1], TimeSpan.FromSeconds(15), Ct);
        Assert.Contains("02:bf:c0:00:02:64", await Neighbour(), StringComparison.OrdinalIgnoreCase);

        Assert.Equal(0, await lab.KillNlbdAsync(1, Signal.SIGTERM, TimeSpan.FromSeconds(10)));
        Assert.Contains(ownMac, await Neighbour(), StringComparison.OrdinalIgnoreCase);
    }
}
