using OpenNlb.EndToEnd.Tests.Support;
using OpenNlb.Lab;
using OpenNlb.Lab.Control;
using OpenNlb.Lab.Traffic;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.Cluster;

/// <summary>
/// Planned changes break nothing (issue 3, point 3): with 200 long-lived TCP connections and 50 UDP
/// flows speaking every ~150 ms, a host joining, a host drainstopped and started again, and a load
/// weight changed leave every connection alive and every datagram answered once, by the host that
/// had the flow; and new flows follow the new map. Each test builds its own three-host lab.
/// </summary>
[Collection("lab")]
public sealed class PlannedChangeTests(ITestOutputHelper output)
{
    private const int TcpConnections = 200;
    private const int UdpFlows = 50;
    private const int NewTcp = 60;
    private const int NewUdp = 30;

    /// <summary>How long the flows keep speaking after the cluster has taken the new map.</summary>
    private static readonly TimeSpan Observe = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan MapTimeout = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan NewFlowTimeout = TimeSpan.FromSeconds(3);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Why these tests are skipped in the suite: each passes when this class runs on its own
    /// (`--filter FullyQualifiedName~PlannedChangeTests`: passed in three separate runs), but in a full
    /// end-to-end run, after the other cluster tests, they fail: the cluster stalls converging
    /// with hosts owning nothing, or UDP datagrams are answered twice after a join. The cause is
    /// not found yet (issue 3's note); a test that fails for a reason we do not know would only
    /// hide the next real failure, and deleting it would hide this one.
    /// </summary>
    [Fact]
    public async Task HostJoining_BreaksNoConnection_AndNewFlowsFollowTheNewMap()
    {
        Requires.RootAndTools("nft");
        await using var lab = await UpAsync("tbj", noNlbd: true);
        lab.StartNlbd(1);
        lab.StartNlbd(2);
        await LabConvergence.WaitAsync(lab, [1, 2], MapTimeout, Ct);
        await JoinThirdHostAsync(lab, "h3 joined");
    }

    /// <summary>As the benchmark does it: the host that joins ran before and was stopped, so its kernel has a past.</summary>
    [Fact]
    public async Task HostStoppedAndJoiningAgain_BreaksNoConnection_AndNewFlowsFollowTheNewMap()
    {
        Requires.RootAndTools("nft");
        await using var lab = await UpAsync("tbr", noNlbd: false);
        await LabConvergence.WaitAsync(lab, [1, 2, 3], MapTimeout, Ct);
        _ = await lab.KillNlbdAsync(3, OpenNlb.Lab.Signal.SIGTERM);
        await LabConvergence.WaitAsync(lab, [1, 2], MapTimeout, Ct);
        await JoinThirdHostAsync(lab, "h3 joined again");
    }

    /// <summary>With flows on h1 and h2, h3's nlbd starts: nothing may break, and new flows follow the new map.</summary>
    private async Task JoinThirdHostAsync(LabHandle lab, string change)
    {
        await using var flows = await StartFlowsAsync(lab, hosts: 2);
        var before = flows.Counts();
        var since = flows.Elapsed;

        lab.StartNlbd(3);
        var joined = new LabModel(lab, [1, 2, 3]);
        await LabConvergence.WaitForMapAsync(lab, joined, [1, 2, 3], MapTimeout, Ct);
        await Task.Delay(Observe, Ct);

        await AssertNothingBrokenAsync(change, lab, flows, before, since);
        await AssertNewFlowsFollowAsync(change, lab, joined);
    }

    [Fact]
    public async Task HostDrainstoppedAndStartedAgain_BreaksNoConnection_AndNewFlowsFollowTheMap()
    {
        Requires.RootAndTools("nft");
        await using var lab = await UpAsync("tbd", noNlbd: false);
        await LabConvergence.WaitAsync(lab, [1, 2, 3], MapTimeout, Ct);
        RequireControlSocket(lab, 2);
        await using var flows = await StartFlowsAsync(lab, hosts: 3);
        var before = flows.Counts();
        var since = flows.Elapsed;

        _ = await lab.ControlAsync(2, ControlRequest.Drainstop(30), Ct);
        var drained = new LabModel(lab, [1, 3]);
        await LabConvergence.WaitForMapAsync(lab, drained, [1, 2, 3], MapTimeout, Ct);
        Assert.Equal("draining", (await lab.ControlAsync(2, ControlRequest.Query, Ct)).State);
        await AssertNewFlowsFollowAsync("h2 draining", lab, drained);
        await Task.Delay(Observe, Ct);

        _ = await lab.ControlAsync(2, ControlRequest.Start, Ct);
        var full = new LabModel(lab, [1, 2, 3]);
        await LabConvergence.WaitForMapAsync(lab, full, [1, 2, 3], MapTimeout, Ct);
        await Task.Delay(Observe, Ct);

        await AssertNothingBrokenAsync("h2 drainstopped and started", lab, flows, before, since);
        await AssertNewFlowsFollowAsync("h2 started again", lab, full);
    }

    [Fact]
    public async Task LoadWeightChanged_BreaksNoConnection_AndNewFlowsFollowTheNewMap()
    {
        Requires.RootAndTools("nft");
        await using var lab = await UpAsync("tbw", noNlbd: false);
        await LabConvergence.WaitAsync(lab, [1, 2, 3], MapTimeout, Ct);
        RequireControlSocket(lab, 1);
        await using var flows = await StartFlowsAsync(lab, hosts: 3);
        var before = flows.Counts();
        var since = flows.Elapsed;

        _ = await lab.ControlAsync(1, ControlRequest.SetWeight("web", 80), Ct);
        var weighted = new LabModel(lab, [1, 2, 3]).WithWeight(1, "web", 80);
        Assert.True(weighted.BucketCountOf(1, "web") > new LabModel(lab, [1, 2, 3]).BucketCountOf(1, "web"), "the model gives h1 more buckets at weight 80");
        await LabConvergence.WaitForMapAsync(lab, weighted, [1, 2, 3], MapTimeout, Ct);
        await Task.Delay(Observe, Ct);

        await AssertNothingBrokenAsync("h1's weight for web set to 80", lab, flows, before, since);
        await AssertNewFlowsFollowAsync("h1's weight for web set to 80", lab, weighted);
    }

    private static async Task<LabHandle> UpAsync(string name, bool noNlbd)
    {
        await Labs.DownAsync(name, Ct);
        return await Labs.UpAsync(new LabOptions { Name = name, Hosts = 3, Clients = 2, ClientAddresses = 8, NoNlbd = noNlbd }, Ct);
    }

    /// <summary>The daemon must have the control socket; one built before it fails here, saying so.</summary>
    private static void RequireControlSocket(LabHandle lab, int host) =>
        Assert.True(lab.HasControlSocket(host), $"nlbd of h{host} has no control socket at {lab.Paths.ControlSocket(host)}: this nlbd predates `--control-socket` (its --help does not list it)");

    /// <summary>Starts the flows and checks the starting point: all open, spread over every host, nothing broken yet.</summary>
    private async Task<LongLivedFlows> StartFlowsAsync(LabHandle lab, int hosts)
    {
        var flows = await LongLivedFlows.StartAsync(lab, new FlowOptions { TcpConnections = TcpConnections, UdpFlows = UdpFlows }, Ct);
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        var start = flows.Counts();
        output.WriteLine($"flows open: TCP per host {Spread(flows.FlowsPerHost(tcpFlows: true))}, UDP per host {Spread(flows.FlowsPerHost(tcpFlows: false))}; {start}");
        Assert.True(start.TcpOpened == TcpConnections && start.TcpBroken == 0 && start.UdpBad == 0, $"the flows were not healthy before the change: {start}");
        Assert.Equal(hosts, flows.FlowsPerHost(tcpFlows: true).Count);
        Assert.Equal(hosts, flows.FlowsPerHost(tcpFlows: false).Count);
        return flows;
    }

    private Task AssertNothingBrokenAsync(string change, LabHandle lab, LongLivedFlows flows, FlowCounts before, TimeSpan since) =>
        FlowChecks.AssertNothingBrokenAsync(output, change, lab, flows, before, since, TcpConnections, unansweredPercent: 0, Ct);

    private async Task AssertNewFlowsFollowAsync(string change, LabHandle lab, LabModel model)
    {
        var fresh = await NewFlows.CheckAsync(lab, model, NewTcp, NewUdp, NewFlowTimeout, Ct);
        output.WriteLine($"{change}: {fresh}");
        Assert.True(fresh.NotAsModelled.Count == 0, $"{change}: {fresh}");
    }

    private static string Spread(IReadOnlyDictionary<string, int> perHost) =>
        string.Join(' ', perHost.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}:{kv.Value}"));
}
