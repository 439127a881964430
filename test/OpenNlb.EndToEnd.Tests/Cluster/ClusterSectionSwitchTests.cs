using OpenNlb.Core.Status;
using OpenNlb.EndToEnd.Tests.Support;
using OpenNlb.Lab;
using OpenNlb.Lab.Control;
using OpenNlb.Lab.Traffic;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.Cluster;

/// <summary>
/// A changed cluster section applied without a restart (issue 4, point 1; docs/control.md,
/// "Changing the cluster section"): the file changed on every host, <c>nlb reload</c> host by
/// host. Until the last host has read it, nothing changes anywhere; then every host switches, with
/// 200 long-lived TCP connections and 50 UDP flows speaking through it, on a rule that changed and
/// one that did not: none may break, no datagram may be answered twice or by another host than its
/// flow's, at most 1% may go unanswered (the lease, below), and new flows follow the map.
/// </summary>
[Collection("lab")]
public sealed class ClusterSectionSwitchTests(ITestOutputHelper output)
{
    private static readonly TimeSpan MapTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan Observe = TimeSpan.FromSeconds(3);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ChangedPortRules_ReloadedOnEveryHost_SwitchTogether_AndBreakNoFlow()
    {
        Requires.RootAndTools("nft");
        await Labs.DownAsync("tcx", Ct);
        await using var lab = await Labs.UpAsync(new LabOptions { Name = "tcx", Hosts = 3, Clients = 2, ClientAddresses = 8 }, Ct);
        await LabConvergence.WaitAsync(lab, [1, 2, 3], MapTimeout, Ct);
        await using var flows = await LongLivedFlows.StartAsync(lab, new FlowOptions { TcpConnections = 200, UdpFlows = 50 }, Ct);
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        var before = flows.Counts();
        var since = flows.Elapsed;
        Assert.True(before.TcpOpened == 200 && before.TcpBroken == 0 && before.UdpBad == 0, $"the flows were not healthy before the change: {before}");

        // web (the TCP flows' rule) changes its port range, sticky its affinity, dns is new.
        await LabClusterChange.WriteAsync(lab, Ct);

        var first = await lab.ControlAsync(1, ControlRequest.Reload, Ct);
        output.WriteLine($"h1 reload: {first.Message ?? first.Error}");
        Assert.True(first.Ok, first.Error);
        Assert.Contains("cluster.portRules[0] (web): changed (ports 80 -> 80-81); cluster.portRules[2] (sticky): changed (affinity single -> none); cluster.portRules[4] (dns): added", first.Message, StringComparison.Ordinal);
        Assert.Contains("waiting for host(s) 2, 3", first.Message, StringComparison.Ordinal);

        // Staged on one host: nothing switches, nobody is kept out.
        await Task.Delay(TimeSpan.FromMilliseconds(500), Ct);
        var staged = await StatusAsync(lab, 1);
        Assert.Equal([2, 3], staged.Staged?.WaitingFor);
        foreach (var host in new[] { 1, 2, 3 })
        {
            var status = await StatusAsync(lab, host);
            Assert.True(status.State != "mismatched" && status.LiveHosts.SequenceEqual([1, 2, 3]), $"h{host} is {status.State} with live hosts [{string.Join(' ', status.LiveHosts)}] while only h1 staged");
            Assert.DoesNotContain(status.Rules, r => r.Name == "dns");
        }

        var second = await lab.ControlAsync(2, ControlRequest.Reload, Ct);
        Assert.True(second.Ok && second.Message!.Contains("waiting for host(s) 3", StringComparison.Ordinal), second.Message ?? second.Error);
        var third = await lab.ControlAsync(3, ControlRequest.Reload, Ct);
        Assert.True(third.Ok, third.Error);
        output.WriteLine($"h3 reload: {third.Message}");

        await LabClusterChange.WaitSwitchedAsync(lab, [1, 2, 3], MapTimeout, Ct);
        await LabConvergence.WaitAsync(lab, [1, 2, 3], MapTimeout, Ct);
        var model = new LabModel(lab, [1, 2, 3]);
        await LabConvergence.WaitForMapAsync(lab, model, [1, 2, 3], MapTimeout, Ct);
        await Task.Delay(Observe, Ct);

        // The one thing a switch may cost (docs/control.md): a host's lease can lapse for tens of
        // milliseconds while the hosts write their whole rulesets at once (seen: up to 14 of about
        // 3,300 datagrams); more than 1% is not that.
        await FlowChecks.AssertNothingBrokenAsync(output, "switch", lab, flows, before, since, 200, unansweredPercent: 1, Ct);

        // The new section is what every host enforces: the new rule's buckets are shared out in full.
        var owned = new List<int>();
        foreach (var host in new[] { 1, 2, 3 })
        {
            owned.Add((await StatusAsync(lab, host)).BucketsOwned.GetValueOrDefault("dns"));
        }

        Assert.Equal(16384, owned.Sum());
        Assert.All(owned, n => Assert.InRange(n, 5000, 6000));

        var fresh = await NewFlows.CheckAsync(lab, model, 60, 30, TimeSpan.FromSeconds(3), Ct);
        output.WriteLine($"new flows: {fresh}");
        Assert.True(fresh.NotAsModelled.Count == 0, fresh.ToString());

        // A stop after a switch removes the ruleset the switch installed.
        _ = await lab.KillNlbdAsync(1, Signal.SIGTERM);
        var stopped = await File.ReadAllTextAsync(lab.Paths.NlbdLog(1), Ct);
        Assert.Contains("nlbd stopped", stopped, StringComparison.Ordinal);
        Assert.DoesNotContain("cleanup incomplete", stopped, StringComparison.Ordinal);
    }

    private static async Task<HostStatus> StatusAsync(LabHandle lab, int host) =>
        await LabConvergence.StatusAsync(lab, host, Ct) ?? throw new InvalidOperationException($"h{host} gave no status");
}
