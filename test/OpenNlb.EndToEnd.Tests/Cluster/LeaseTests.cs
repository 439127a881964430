using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OpenNlb.EndToEnd.Tests.Support;
using OpenNlb.Lab;
using OpenNlb.Lab.Processes;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.Cluster;

/// <summary>
/// Issue 3, item 4: a host whose daemon dies stops taking new flows by itself (the kernel lease)
/// before the others take its buckets, so no flow is ever answered by two hosts; its TCP
/// connections are neither reset by the others nor dropped by it; a restarted daemon takes the
/// host back without breaking them.
/// </summary>
[Collection("lab")]
public sealed class LeaseTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task KilledDaemon_NeverDoubleAnswers_KeepsItsConnections_AndTakesTheHostBackWithoutBreakingThem()
    {
        Requires.RootAndTools("nft");
        await Labs.DownAsync("tcl", Ct);
        await using var lab = await Labs.UpAsync(new LabOptions { Name = "tcl", Hosts = 3, Clients = 1 }, Ct);
        await LabConvergence.WaitAsync(lab, [1, 2, 3], TimeSpan.FromSeconds(15), Ct);
        var client = lab.ClientAddress(1);
        var model = new LabModel(lab, [1, 2, 3]);
        var h2Ports = Enumerable.Range(21000, 2000).Where(p => model.OwnerOf("web", client, p) == "h2").Take(2).ToList();

        // Two connections into host 2's buckets, opened while it is healthy: one to use after its
        // daemon died, one after the daemon is back.
        using var afterCrash = await ConnectAsync(lab, client, h2Ports[0]);
        using var afterRestart = await ConnectAsync(lab, client, h2Ports[1]);

        // New UDP flows throughout: none may be answered twice.
        using var stopProbes = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var probes = ProbeUdpAsync(lab, client, clock, stopProbes.Token);
        await Task.Delay(300, Ct);
        var killedAt = clock.Elapsed;
        await lab.KillNlbdAsync(2, Signal.SIGKILL);
        await LabConvergence.WaitAsync(lab, [1, 3], TimeSpan.FromSeconds(5), Ct);
        var convergedAt = clock.Elapsed;
        output.WriteLine($"survivors converged {(convergedAt - killedAt).TotalMilliseconds:0} ms after the kill");
        await Task.Delay(500, Ct);
        stopProbes.Cancel();
        var results = await probes;
        var doubled = results.Count(r => r.Answers > 1);
        var answered = results.Count(r => r.Answers == 1);
        output.WriteLine($"{results.Count} UDP flows during the crash: {answered} answered once, {doubled} answered twice, {results.Count - answered - doubled} unanswered");

        // The probes must have covered the crash, from before the kill to after the survivors'
        // convergence, at least one per 30 ms in between: a machine too loaded to send them says so.
        Assert.True(results[0].SentAt < killedAt && results[^1].SentAt > convergedAt, $"the probes ran from {results[0].SentAt.TotalMilliseconds:0} to {results[^1].SentAt.TotalMilliseconds:0} ms, not across the kill ({killedAt.TotalMilliseconds:0} ms) and the convergence ({convergedAt.TotalMilliseconds:0} ms)");
        Assert.True(results.Count(r => r.SentAt >= killedAt && r.SentAt <= convergedAt) * 15 >= (convergedAt - killedAt).TotalMilliseconds / 2, "fewer than one probe per 30 ms between the kill and the convergence");
        Assert.Equal(0, doubled);

        // Host 2's kernel still serves its TCP connection, and nobody reset it.
        Assert.Equal("h2", await RequestAsync(afterCrash));

        // New connections in host 2's old buckets go to the survivors' map.
        var survivors = new LabModel(lab, [1, 3]);
        var fresh = await Task.WhenAll(Enumerable.Range(26000, 2000).Where(p => model.OwnerOf("web", client, p) == "h2").Take(10)
            .Select(p => LabTraffic.HttpAsync(lab, "c1", client, clientPort: p)));
        Assert.All(fresh, f => Assert.Equal(survivors.OwnerOf("web", client, f.ClientPort), f.Host));

        lab.StartNlbd(2);
        await LabConvergence.WaitAsync(lab, [1, 2, 3], TimeSpan.FromSeconds(15), Ct);
        Assert.Equal("h2", await RequestAsync(afterRestart));
    }

    private static async Task<Socket> ConnectAsync(LabHandle lab, IPAddress client, int port)
    {
        var socket = lab.OpenSocket("c1", SocketType.Stream, ProtocolType.Tcp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Bind(new IPEndPoint(client, port));
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await socket.ConnectAsync(new IPEndPoint(lab.Vip, OpenNlb.Lab.Service.LabService.HttpPort), deadline.Token);
        return socket;
    }

    /// <summary>One request on an existing connection; the lab's HTTP service names the host that answers.</summary>
    private static async Task<string> RequestAsync(Socket socket)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        return await LabTraffic.RequestAsync(socket, deadline.Token);
    }

    /// <summary>A new UDP flow every 15 ms until stopped (at most 400): when each was sent, and how many hosts answered it.</summary>
    private static async Task<List<(TimeSpan SentAt, int Answers)>> ProbeUdpAsync(LabHandle lab, IPAddress client, Stopwatch clock, CancellationToken stop)
    {
        var running = new List<(TimeSpan SentAt, Task<(int ClientPort, List<string> Answers)> Probe)>();
        for (var i = 0; i < 400 && !stop.IsCancellationRequested; i++)
        {
            running.Add((clock.Elapsed, LabTraffic.UdpAsync(lab, "c1", client, 16, TimeSpan.FromMilliseconds(400))));
            await Task.Delay(15, CancellationToken.None);
        }

        await Task.WhenAll(running.Select(r => r.Probe));
        return running.Select(r => (r.SentAt, r.Probe.Result.Answers.Count)).ToList();
    }
}
