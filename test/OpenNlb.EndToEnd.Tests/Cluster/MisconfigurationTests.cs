using OpenNlb.EndToEnd.Tests.Support;
using OpenNlb.Lab;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.Cluster;

/// <summary>
/// Issue 3, item 7: a host whose cluster settings differ, or that claims a host priority already in
/// use, is kept out; it and the cluster both say why; the rest of the cluster keeps working.
/// </summary>
[Collection("lab")]
public sealed class MisconfigurationTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HostWithDifferentPortRules_IsKeptOut_BothSideSayWhy_AndTheClusterKeepsServing()
    {
        Requires.RootAndTools("nft");
        await using var lab = await TwoHostsAndAThirdConfiguredAs("tcmc", text => text.Replace("5201", "5209", StringComparison.Ordinal));

        var outsider = await StatusWhenAsync(lab, 3, s => s.State == "mismatched");
        output.WriteLine($"h3 says: {outsider.State}: {outsider.Reason}");
        Assert.Contains("different configuration", outsider.Reason, StringComparison.Ordinal);
        // It names whichever serving host it heard with the other configuration: h1 or h2.
        Assert.Matches("host [12] serves", outsider.Reason);
        Assert.All(outsider.BucketsOwned.Values, n => Assert.Equal(0, n));

        var insider = await StatusWhenAsync(lab, 1, s => s.Peers.Any(p => p.HostPriority == 3 && p.KeptOut is not null));
        var seen = insider.Peers.Single(p => p.HostPriority == 3);
        output.WriteLine($"h1 says of h3: {seen.KeptOut}");
        Assert.Contains("configuration differs", seen.KeptOut, StringComparison.Ordinal);
        Assert.Equal([1, 2], insider.LiveHosts);

        await AssertServedBy(lab, [1, 2]);
    }

    [Fact]
    public async Task HostClaimingAPriorityInUse_IsKeptOut_BothSideSayWhy_AndTheClusterKeepsServing()
    {
        Requires.RootAndTools("nft");
        await using var lab = await TwoHostsAndAThirdConfiguredAs("tcmd", text => text.Replace("priority: 3", "priority: 2", StringComparison.Ordinal));

        var outsider = await StatusWhenAsync(lab, 3, s => s.State == "duplicate-priority");
        output.WriteLine($"h3 says: {outsider.State}: {outsider.Reason}");
        Assert.Contains("priority 2", outsider.Reason, StringComparison.Ordinal);
        Assert.All(outsider.BucketsOwned.Values, n => Assert.Equal(0, n));

        var insider = await StatusWhenAsync(lab, 1, s => s.Peers.Any(p => p.HostPriority == 2 && p.KeptOut is not null));
        output.WriteLine($"h1 says of the second host 2: {insider.Peers.First(p => p.KeptOut is not null).KeptOut}");
        Assert.Equal([1, 2], insider.LiveHosts);
        await AssertServedBy(lab, [1, 2]);
    }

    private static async Task<LabHandle> TwoHostsAndAThirdConfiguredAs(string name, Func<string, string> change)
    {
        await Labs.DownAsync(name, Ct);
        var lab = await Labs.UpAsync(new LabOptions { Name = name, Hosts = 3, Clients = 1, NoNlbd = true }, Ct);
        try
        {
            var path = lab.Paths.Config(3);
            var original = await File.ReadAllTextAsync(path, Ct);
            var changed = change(original);
            Assert.NotEqual(original, changed);
            await File.WriteAllTextAsync(path, changed, Ct);
            lab.StartNlbd(1);
            lab.StartNlbd(2);
            await LabConvergence.WaitAsync(lab, [1, 2], TimeSpan.FromSeconds(15), Ct);
            lab.StartNlbd(3);
            return lab;
        }
        catch
        {
            await lab.DisposeAsync();
            throw;
        }
    }

    private static async Task<Core.Status.HostStatus> StatusWhenAsync(LabHandle lab, int host, Func<Core.Status.HostStatus, bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        Core.Status.HostStatus? last = null;
        while (DateTime.UtcNow < deadline)
        {
            last = lab.ReadStatus(host);
            if (last is not null && condition(last))
            {
                return last;
            }

            await Task.Delay(100, Ct);
        }

        Assert.Fail($"h{host} never reached the expected state; last: {last?.State} {last?.Reason}");
        return last!;
    }

    /// <summary>New connections are answered exactly as the map of these members says: host 3 takes none.</summary>
    private static async Task AssertServedBy(LabHandle lab, int[] members)
    {
        // The kept-out host's status is written at most once a second; the cluster is unchanged anyway.
        await LabConvergence.WaitAsync(lab, members, TimeSpan.FromSeconds(5), Ct);
        var model = new LabModel(lab, members);
        var client = lab.ClientAddress(1);
        var answers = await Task.WhenAll(Enumerable.Range(30000, 60).Select(p => LabTraffic.HttpAsync(lab, "c1", client, clientPort: p)));
        Assert.All(answers, a => Assert.Equal(model.OwnerOf("web", client, a.ClientPort), a.Host));
    }
}
