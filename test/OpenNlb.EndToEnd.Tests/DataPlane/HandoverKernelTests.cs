using System.Diagnostics;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Convergence;
using OpenNlb.Core.DataPlane;
using OpenNlb.Core.Membership;
using OpenNlb.EndToEnd.Tests.Lab;
using Xunit;
using static OpenNlb.EndToEnd.Tests.DataPlane.HandoverLab;

namespace OpenNlb.EndToEnd.Tests.DataPlane;

/// <summary>
/// The hand-over data plane on the real kernel: two hosts that share the VIP and its flooded
/// frames, rulesets installed straight from the renderer, real sockets from the client. Each test
/// shows one behaviour that would fail without the rule that gives it.
/// </summary>
[Collection("lab")]
public sealed class HandoverKernelTests(HandoverLabFixture fixture) : IClassFixture<HandoverLabFixture>
{
    private static readonly TimeSpan NoAnswer = TimeSpan.FromMilliseconds(1500);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HandoverLab Lab
    {
        get
        {
            LabPrerequisites.SkipUnlessLabCanRun("nft", "conntrack");
            return new HandoverLab(fixture.Lab ?? throw new InvalidOperationException("the lab did not come up"));
        }
    }

    [Fact]
    public async Task KeptBucket_KeepsItsConnection_AndRefusesNewOnes_WhileOwnedBucketsTakeThem()
    {
        var lab = Lab;
        var (spec1, spec2) = (lab.Spec(1), lab.Spec(2));
        var before = Owns(echo: Share(All));
        await lab.InstallAsync(1, spec1, before);
        await lab.InstallAsync(2, spec2, Owns());

        using var longLived = await lab.ConnectEchoAsync(lab.PortIn(0, 20000));
        Assert.Equal("h1:a", await EchoAsync(longLived, "a"));

        // Bucket 0 leaves h1's share; nobody else owns it yet.
        await lab.NftAsync(1, RulesetRenderer.RenderUpdate(spec1, before, Owns(echo: Share([1, 2, 3], [0]))));

        Assert.Equal("h1:b", await EchoAsync(longLived, "b"));
        var refusedPort = lab.PortIn(0, 20100);
        using (var refused = await lab.TryConnectAsync(refusedPort, HandoverLabFixture.EchoPort, NoAnswer))
        {
            Assert.Null(refused);
        }

        Assert.DoesNotContain(await lab.Conntrack(1).ListAsync([lab.Vip], Ct), e => e.ClientPort == refusedPort);
        using var fresh = await lab.ConnectEchoAsync(lab.PortIn(1, 20100));
        Assert.Equal("h1:c", await EchoAsync(fresh, "c"));
        Assert.Equal("h1:d", await EchoAsync(longLived, "d"));
    }

    /// <summary>
    /// A dead peer's buckets claimed through the heir set the kernel holds ahead of time
    /// (docs/convergence.md, "Claiming a dead host's buckets"): the first step only flags the
    /// peer taken (two set elements, no rule, no bucket), and a new connection in that bucket is taken
    /// from then on; the steps after it write the bucket into the map and switch the standby off
    /// without a moment in which the bucket is refused.
    /// </summary>
    [Fact]
    public async Task DeadPeersBucket_IsTakenThroughItsHeirSet_BeforeTheMapHoldsIt()
    {
        var lab = Lab;
        var spec1 = lab.Spec(1);
        var heirs = new Standby(2, [[0], [], []], Active: false);
        var before = Owns(echo: Share([1, 2, 3])) with { Standbys = [heirs] };
        var after = Owns(echo: Share(All)) with { Standbys = [heirs] };
        await lab.InstallAsync(1, spec1, before);
        await lab.InstallAsync(2, lab.Spec(2), Owns());

        using (var refused = await lab.TryConnectAsync(lab.PortIn(0, 21000), HandoverLabFixture.EchoPort, NoAnswer))
        {
            Assert.Null(refused);
        }

        var steps = OwnershipSteps.Between(before, after).ToList();
        var first = RulesetRenderer.RenderUpdate(spec1, before, steps[0]);
        Assert.DoesNotContain("rule", first, StringComparison.Ordinal);
        await lab.NftAsync(1, first);

        using var taken = await lab.ConnectEchoAsync(lab.PortIn(0, 21100));
        Assert.Equal("h1:a", await EchoAsync(taken, "a"));

        var previous = steps[0];
        foreach (var step in steps.Skip(1))
        {
            await lab.NftAsync(1, RulesetRenderer.RenderUpdate(spec1, previous, step));
            previous = step;
            using var fresh = await lab.ConnectEchoAsync(lab.PortIn(0, 21200 + (steps.IndexOf(step) * 100)));
            Assert.Equal("h1:b", await EchoAsync(fresh, "b"));
        }

        Assert.Equal(after, previous);
        Assert.Equal("h1:c", await EchoAsync(taken, "c"));
    }

    [Fact]
    public async Task OwnedBucket_DropsSegmentsOfAConnectionAnotherHostKeeps_WithoutAReset()
    {
        var lab = Lab;
        var (spec1, spec2) = (lab.Spec(1), lab.Spec(2));
        var before = Owns(echo: Share(All));
        await lab.InstallAsync(1, spec1, before);
        await lab.InstallAsync(2, spec2, Owns());
        using var longLived = await lab.ConnectEchoAsync(lab.PortIn(0, 21000));
        Assert.Equal("h1:a", await EchoAsync(longLived, "a"));

        // Bucket 0 moves: h1 keeps it, h2 owns it and sees every segment of h1's connection.
        await lab.NftAsync(1, RulesetRenderer.RenderUpdate(spec1, before, Owns(echo: Share([1, 2, 3], [0]))));
        await lab.NftAsync(2, RulesetRenderer.RenderUpdate(spec2, Owns(), Owns(echo: Share([0]))));
        var resets = await lab.OutRstsAsync(2);

        foreach (var text in new[] { "b", "c", "d" })
        {
            Assert.Equal($"h1:{text}", await EchoAsync(longLived, text));
        }

        Assert.Equal(resets, await lab.OutRstsAsync(2));

        // The new owner takes the bucket's new connections all the same.
        using var fresh = await lab.ConnectEchoAsync(lab.PortIn(0, 21100));
        Assert.Equal("h2:e", await EchoAsync(fresh, "e"));
    }

    [Fact]
    public async Task ForeignUdpFlow_IsLeftToTheOldOwner_WhileTrafficRenewsIt_AndOtherFlowsGoToTheNewOwner()
    {
        var lab = Lab;
        var timeout = TimeSpan.FromSeconds(2);
        var (spec1, spec2) = (lab.Spec(1), lab.Spec(2) with { ForeignFlowTimeout = timeout });
        var before = Owns(udp: Share(All));
        await lab.InstallAsync(1, spec1, before);
        await lab.InstallAsync(2, spec2, Owns());
        var flow = lab.PortIn(0, 22000);
        Assert.Equal(["h1"], await lab.UdpAnswersAsync(flow));

        // The hand-over: h1 keeps bucket 0 and says it serves this flow; h2 owns the bucket.
        await lab.NftAsync(1, RulesetRenderer.RenderUpdate(spec1, before, Owns(udp: Share([1, 2, 3], [0]))));
        await lab.NftAsync(2, RulesetRenderer.RenderUpdate(spec2, Owns(), Owns(udp: Share([0]))));
        await lab.NftAsync(2, RulesetRenderer.RenderForeign(spec2, [new HandoverFlow(Udp, lab.Client, flow, lab.Vip, 7)], []));

        Assert.Equal(["h2"], await lab.UdpAnswersAsync(lab.PortIn(0, 22100)));

        // Traffic for longer than the timeout: every datagram renews the element on h2.
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout * 1.5)
        {
            Assert.Equal(["h1"], await lab.UdpAnswersAsync(flow, TimeSpan.FromMilliseconds(300)));
        }

        Assert.Single(lab.ListSet(2, NftNames.ForeignFlows));

        // Silence for longer than the timeout: h2 forgets the flow and takes it as a new one (h1's
        // conntrack entry lives on, which is why the real timeout must cover conntrack's).
        await Task.Delay(timeout + TimeSpan.FromMilliseconds(500), Ct);
        Assert.Empty(lab.ListSet(2, NftNames.ForeignFlows));
        Assert.Equal(["h1", "h2"], await lab.UdpAnswersAsync(flow));
    }

    [Fact]
    public async Task LapsedLease_StopsNewFlowsAndUdp_KeepsEstablishedTcp_AndOnlyNlbdsHeartbeatRenewsIt()
    {
        var lab = Lab;
        var spec = lab.Spec(1) with { Lease = TimeSpan.FromSeconds(2) };
        var port = spec.Cluster.Heartbeat.Port;
        await lab.InstallAsync(1, spec, Owns(echo: Share(All), udp: Share(All)));
        await lab.InstallAsync(2, lab.Spec(2), Owns());
        await lab.SendLikeNlbdAsync(1, WireFormat.TypeHeartbeat, port);
        using var longLived = await lab.ConnectEchoAsync(23000);
        Assert.Equal("h1:a", await EchoAsync(longLived, "a"));
        Assert.Equal(["h1"], await lab.UdpAnswersAsync(23000));

        // No heartbeat for longer than the lease: the daemon is gone, as far as the kernel knows.
        await Task.Delay(spec.Lease + TimeSpan.FromMilliseconds(300), Ct);
        using (var refused = await lab.TryConnectAsync(23001, HandoverLabFixture.EchoPort, NoAnswer))
        {
            Assert.Null(refused);
        }

        Assert.Empty(await lab.UdpAnswersAsync(23000));
        Assert.Empty(await lab.UdpAnswersAsync(23002));
        Assert.Equal("h1:b", await EchoAsync(longLived, "b"));

        // What is not a heartbeat of nlbd's user renews nothing: a hand-over chunk, a heartbeat
        // from another user's socket (a process that outlived nlbd cannot keep the host in), a
        // heartbeat to another port.
        await lab.SendLikeNlbdAsync(1, WireFormat.TypeHandover, port);
        await lab.SendLikeNlbdAsync(1, WireFormat.TypeHeartbeat, port, uid: 65534);
        await lab.SendLikeNlbdAsync(1, WireFormat.TypeHeartbeat, port + 1);
        Assert.Empty(await lab.UdpAnswersAsync(23004));

        // The next heartbeat renews it as it leaves.
        await lab.SendLikeNlbdAsync(1, WireFormat.TypeHeartbeat, port);
        using var fresh = await lab.ConnectEchoAsync(23003);
        Assert.Equal("h1:c", await EchoAsync(fresh, "c"));
        Assert.Equal(["h1"], await lab.UdpAnswersAsync(23000));
    }

    [Fact]
    public async Task KeptAffinityClient_IsTakenByTheOldOwner_AndDroppedByTheNewOwner()
    {
        var lab = Lab;
        var (spec1, spec2) = (lab.Spec(1), lab.Spec(2));

        // Two client addresses in one bucket (five addresses, four buckets: there always are).
        var pair = lab.ClientAddresses.GroupBy(BucketOf).First(g => g.Count() >= 2).ToList();
        var (kept, other, bucket) = (pair[0], pair[1], BucketOf(pair[0]));
        var before = Owns(http: Share(All));
        await lab.InstallAsync(1, spec1, before);
        await lab.InstallAsync(2, spec2, Owns());

        Assert.Equal("h1", await lab.Lab.HttpGetAsync("c1", lab.Vip, kept, cancellationToken: Ct));
        var clients = NftSetReaderAddresses(lab.ListSet(1, NftNames.Clients(Http)));
        Assert.Equal([kept], clients);

        // The hand-over: h1 keeps the bucket and lists its clients; h2 owns the bucket.
        var after = Owns(http: Share([.. All.Except([bucket])], [bucket]));
        await lab.NftAsync(1, RulesetRenderer.RenderUpdate(spec1, before, after));
        await lab.NftAsync(2, RulesetRenderer.RenderUpdate(spec2, Owns(), Owns(http: Share([bucket]))));
        await lab.NftAsync(2, RulesetRenderer.RenderForeign(spec2, [], clients.Select(c => new HandoverClient(Http, c))));

        Assert.Equal("h1", await lab.Lab.HttpGetAsync("c1", lab.Vip, kept, cancellationToken: Ct));
        Assert.Equal("h2", await lab.Lab.HttpGetAsync("c1", lab.Vip, other, cancellationToken: Ct));
        Assert.DoesNotContain(await lab.Conntrack(2).ListAsync([lab.Vip], Ct), e => e.Client.Equals(kept));
        Assert.DoesNotContain(await lab.Conntrack(1).ListAsync([lab.Vip], Ct), e => e.Client.Equals(other));
    }

    [Fact]
    public async Task ConntrackTable_ListsTheVipsFlows_AndDeletesOnlyTheUdpOnes()
    {
        var lab = Lab;
        await lab.InstallAsync(1, lab.Spec(1), Owns(echo: Share(All), udp: Share(All)));
        await lab.InstallAsync(2, lab.Spec(2), Owns());
        using var connection = await lab.ConnectEchoAsync(24000);
        Assert.Equal("h1:a", await EchoAsync(connection, "a"));
        Assert.Equal(["h1"], await lab.UdpAnswersAsync(24001));
        var table = lab.Conntrack(1);

        var entries = await table.ListAsync([lab.Vip], Ct);
        var tcp = Assert.Single(entries, e => e.Protocol == Protocol.Tcp);
        Assert.Equal((lab.Client, 24000, lab.Vip, HandoverLabFixture.EchoPort, "ESTABLISHED"), (tcp.Client, tcp.ClientPort, tcp.Vip, tcp.VipPort, tcp.TcpState));
        var udp = Assert.Single(entries, e => e.Protocol == Protocol.Udp);
        Assert.Equal((lab.Client, 24001, lab.Vip, 7), (udp.Client, udp.ClientPort, udp.Vip, udp.VipPort));

        Assert.Equal(1, await table.DeleteUdpAsync([lab.Vip], Ct));
        Assert.Equal(0, await table.DeleteUdpAsync([lab.Vip], Ct));
        Assert.Equal([Protocol.Tcp], (await table.ListAsync([lab.Vip], Ct)).Select(e => e.Protocol));
        Assert.Equal("h1:b", await EchoAsync(connection, "b"));
    }

    private static IReadOnlyList<System.Net.IPAddress> NftSetReaderAddresses(IReadOnlyList<Linux.Nftables.NftSetElement> elements) =>
        Linux.Nftables.NftSetReader.Addresses(elements);
}
