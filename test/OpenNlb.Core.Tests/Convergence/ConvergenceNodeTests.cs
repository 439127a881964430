using OpenNlb.Core.Convergence;
using OpenNlb.Core.Membership;
using Xunit;
using static OpenNlb.Core.Tests.Convergence.SimCluster;

namespace OpenNlb.Core.Tests.Convergence;

/// <summary>The protocol step by step, on nodes driven by hand (<see cref="NodeLab"/>).</summary>
public sealed class ConvergenceNodeTests
{
    private readonly NodeLab _lab = new();

    [Fact]
    public void TwoHosts_Converge_AndShareEveryBucket()
    {
        var one = _lab.Boot(1);
        var two = _lab.Boot(2);
        _lab.Run(1000, one, two);

        Assert.Equal(DisplayState.ConvergedDefault, one.Display(_lab.Now));
        Assert.Equal(DisplayState.Converged, two.Display(_lab.Now));
        Assert.Equal(one.Adopted, two.Adopted);
        Assert.Equal([1, 2], one.Adopted.Members.Select(m => m.Priority));
        foreach (var rule in new[] { Web, Dns })
        {
            var (mine, theirs) = (one.Ownership.Rules[rule].Buckets, two.Ownership.Rules[rule].Buckets);
            Assert.Empty(mine.Intersect(theirs));
            Assert.Equal(Enumerable.Range(0, Buckets), mine.Concat(theirs).Order());
            Assert.InRange(mine.Count, Buckets / 2 - 4, Buckets / 2 + 4);
        }

        // Handling priorities default to the host priorities: host 1 handles the single-host rule.
        Assert.True(one.Ownership.Rules[Admin].HandlesSingle);
        Assert.False(two.Ownership.Rules[Admin].HandlesSingle);
    }

    [Fact]
    public void Joiner_WaitsForTheHandover_BeforeClaiming()
    {
        var one = _lab.Boot(1);
        _lab.Run(300, one);
        Assert.Equal(Buckets, one.Ownership.Rules[Dns].Buckets.Count);

        // Host 2 listens for the detection time, then takes part; host 1 (the coordinator) proposes
        // both, releases host 2's share to kept at once, and must list the UDP flows it keeps there.
        var two = _lab.Boot(2);
        for (var period = 0; period < 8; period++)
        {
            _lab.Now += PeriodMs;
            one.Tick(_lab.Now);
            two.Tick(_lab.Now);
            _lab.Tell(one, two);
            _lab.Tell(two, one);
        }

        Assert.Equal(one.Adopted, two.Adopted);
        Assert.Equal([1, 2], two.Adopted.Members.Select(m => m.Priority));
        Assert.Equal(one.Adopted.Epoch, one.HandoverWanted);
        Assert.False(SimInvariants.OwnsAnything(two.Ownership));
        Assert.Equal(DisplayState.Converging, two.Display(_lab.Now));

        // A map that gains a host: host 1's heartbeat waits for its releases to be written.
        Assert.False(one.HeartbeatMayPrecedeReleases(_lab.Now));

        // The hand-over is announced (one chunk), but host 2 does not hold it yet.
        _lab.Collect(one, flows: 3);
        _lab.Tell(one, two);
        Assert.False(SimInvariants.OwnsAnything(two.Ownership));

        _lab.SendHandover(one, two);
        Assert.Equal(two.Map!.BucketsOf(2, Dns), two.Ownership.Rules[Dns].Buckets);
        Assert.NotEmpty(two.Ownership.Rules[Dns].Buckets);
        Assert.Equal(3, two.TakeForeign().Flows.Count);
    }

    [Fact]
    public void Releasing_HappensAtAdoption_ClaimingOnlyOnceEveryHostAdvertisesTheNewMap()
    {
        var one = _lab.Boot(1);
        var two = _lab.Boot(2);
        _lab.Run(1000, one, two);
        var before = one.Adopted.Epoch;

        // Host 3 listens (its heartbeats say it does not take part yet), then takes part.
        var three = _lab.Boot(3);
        while (!three.IsParticipant)
        {
            _lab.Now += PeriodMs;
            foreach (var node in new[] { one, two, three })
            {
                node.Tick(_lab.Now);
            }

            _lab.Tell(one, two, three);
            _lab.Tell(two, one, three);
            _lab.Tell(three, one, two);
        }

        // Host 1 hears it and proposes all three: it gives up host 3's share in the same step.
        _lab.Tell(three, one);
        Assert.True(one.Adopted.Epoch > before);
        var share = one.Map!;
        Assert.Empty(one.Ownership.Rules[Web].Buckets.Intersect(share.BucketsOf(3, Web)));

        // Host 3 has the new map from host 1 but host 2 still advertises the old one: no claim.
        _lab.Tell(one, three);
        Assert.Equal(one.Adopted, three.Adopted);
        Assert.False(SimInvariants.OwnsAnything(three.Ownership));

        // Host 2 adopts it and gives up host 3's share at once, before anyone claims it.
        _lab.Tell(one, two);
        Assert.Empty(two.Ownership.Rules[Web].Buckets.Intersect(share.BucketsOf(3, Web)));
        _lab.Tell(two, three);
        Assert.False(SimInvariants.OwnsAnything(three.Ownership), "hosts 1 and 2 have not handed over yet");

        // With both hand-overs in, host 3 claims its share.
        foreach (var node in new[] { one, two })
        {
            _lab.Collect(node);
            _lab.Tell(node, three);
            _lab.SendHandover(node, three);
        }

        Assert.Equal(share.BucketsOf(3, Web), three.Ownership.Rules[Web].Buckets);
    }

    [Fact]
    public void DrainStop_KeepsWhatItOwned_AndStopsWhenTheLastKeptBucketEmpties()
    {
        var one = _lab.Boot(1);
        var two = _lab.Boot(2);
        _lab.Run(1000, one, two);
        var owned = two.Ownership.Rules[Web].Buckets;

        Assert.True(two.Execute(new HostCommand(HostCommandKind.DrainStop), _lab.Now).Ok);
        Assert.Equal(DisplayState.Draining, two.Display(_lab.Now));
        Assert.False(SimInvariants.OwnsAnything(two.Ownership));
        Assert.Subset(two.Ownership.Rules[Web].KeptBuckets.ToHashSet(), owned.ToHashSet());

        // Host 1 takes every bucket for new flows; host 2 drains until nothing it keeps is in use.
        _lab.Run(500, one, two);
        Assert.Equal(Buckets, one.Ownership.Rules[Web].Buckets.Count);
        Assert.Equal(DisplayState.Draining, two.Display(_lab.Now));

        two.RetainKept(Usage(owned[0]), _lab.Now);
        Assert.Equal(DisplayState.Draining, two.Display(_lab.Now));
        Assert.Equal([owned[0]], two.Ownership.Rules[Web].KeptBuckets);

        two.RetainKept(Usage(), _lab.Now);
        Assert.Equal(DisplayState.Stopped, two.Display(_lab.Now));
        Assert.False(SimInvariants.KeepsAnything(two.Ownership));
    }

    [Fact]
    public void DrainStop_WithATimeout_StopsAtTheTimeout()
    {
        var one = _lab.Boot(1);
        _lab.Run(300, one);
        one.Execute(new HostCommand(HostCommandKind.DrainStop, Timeout: TimeSpan.FromSeconds(1)), _lab.Now);
        var stopAt = _lab.Now + 1000;
        Assert.InRange(one.NextWakeMs(stopAt - 1), stopAt - 1, stopAt);

        one.Tick(stopAt - 1);
        Assert.Equal(DisplayState.Draining, one.Display(stopAt - 1));
        one.Tick(stopAt);
        Assert.Equal(DisplayState.Stopped, one.Display(stopAt));
        Assert.False(SimInvariants.KeepsAnything(one.Ownership));
    }

    [Fact]
    public void Suspended_RefusesEverythingButResume()
    {
        var one = _lab.Boot(1);
        _lab.Run(300, one);
        Assert.True(one.Execute(new HostCommand(HostCommandKind.Suspend), _lab.Now).Ok);
        Assert.Equal(DisplayState.Suspended, one.Display(_lab.Now));
        Assert.False(SimInvariants.OwnsAnything(one.Ownership) || SimInvariants.KeepsAnything(one.Ownership));

        HostCommand[] refused =
        [
            new(HostCommandKind.Start), new(HostCommandKind.Stop), new(HostCommandKind.DrainStop), new(HostCommandKind.Suspend),
            new(HostCommandKind.Enable, "web"), new(HostCommandKind.Disable, "web"), new(HostCommandKind.Drain, "web"),
            new(HostCommandKind.SetWeight, "web", Weight: 10),
        ];
        foreach (var command in refused)
        {
            var outcome = one.Execute(command, _lab.Now);
            Assert.False(outcome.Ok, command.ToString());
            Assert.Equal("the host is suspended: resume it first", outcome.Message);
        }

        Assert.True(one.Execute(new HostCommand(HostCommandKind.Resume), _lab.Now).Ok);
        Assert.Equal(DisplayState.Stopped, one.Display(_lab.Now));
        Assert.False(one.Execute(new HostCommand(HostCommandKind.Resume), _lab.Now).Ok);
        Assert.True(one.Execute(new HostCommand(HostCommandKind.Start), _lab.Now).Ok);
        _lab.Run(100, one);
        Assert.Equal(DisplayState.ConvergedDefault, one.Display(_lab.Now));
    }

    [Fact]
    public void UnknownRule_IsRefused_WithTheListOfRules()
    {
        var one = _lab.Boot(1);
        foreach (var kind in new[] { HostCommandKind.Enable, HostCommandKind.Disable, HostCommandKind.Drain, HostCommandKind.SetWeight })
        {
            var outcome = one.Execute(new HostCommand(kind, "smtp", Weight: 10), _lab.Now);
            Assert.False(outcome.Ok);
            Assert.Equal("no port rule named 'smtp'; the rules are: web, dns, admin (or say VIP:PORT, a port, or all)", outcome.Message);
        }
    }

    /// <summary>Only these buckets of the web rule still serve something.</summary>
    private static KeptUsage Usage(params int[] web) => new([web.ToHashSet(), new HashSet<int>(), new HashSet<int>()], [false, false, false], false);
}
