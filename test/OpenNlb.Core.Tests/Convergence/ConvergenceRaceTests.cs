using OpenNlb.Core.Convergence;
using Xunit;
using static OpenNlb.Core.Tests.Convergence.SimCluster;

namespace OpenNlb.Core.Tests.Convergence;

/// <summary>
/// Two races the simulation found, replayed by hand: hosts that come to count each other after
/// each claimed without the other. The host that counts the other anew releases everything until
/// they agree, so at no moment do two hosts that count each other own one bucket.
/// </summary>
public sealed class ConvergenceRaceTests
{
    private readonly NodeLab _lab = new();

    /// <summary>Seed 226 of the simulation: a host started again before the proposal that left it out reaches it.</summary>
    [Fact]
    public void StartRacingTheProposalThatLeftItOut_TheOtherHostReleasesEverything()
    {
        var one = _lab.Boot(1);
        var two = _lab.Boot(2);
        _lab.Run(1000, one, two);

        // Host 2 is suspended; host 1 hears it, proposes itself alone and claims every bucket.
        two.Execute(new HostCommand(HostCommandKind.Suspend), _lab.Now);
        _lab.Tell(two, one);
        Assert.Equal(Buckets, one.Ownership.Rules[Web].Buckets.Count);

        // Host 2 is resumed and started before host 1's new proposal reaches it: its records say
        // both still serve under the old one, so it claims its share of that.
        two.Execute(new HostCommand(HostCommandKind.Resume), _lab.Now);
        two.Execute(new HostCommand(HostCommandKind.Start), _lab.Now);
        Assert.NotEmpty(two.Ownership.Rules[Web].Buckets);

        // Host 1 hears host 2 again, on the old proposal: it releases everything, and says why.
        var releases = one.ReleasesOfEverything;
        _lab.Tell(two, one);
        Assert.Contains(2, one.View(_lab.Now));
        Assert.Contains(1, two.View(_lab.Now));
        Assert.False(SimInvariants.OwnsAnything(one.Ownership));
        Assert.Equal(releases + 1, one.ReleasesOfEverything);
        Assert.StartsWith("host 2 is counted again and holds map ", one.LastReleaseOfEverything);

        _lab.Run(1000, one, two);
        Assert.Equal(DisplayState.ConvergedDefault, one.Display(_lab.Now));
        Assert.Equal(DisplayState.Converged, two.Display(_lab.Now));
        Assert.Empty(one.Ownership.Rules[Web].Buckets.Intersect(two.Ownership.Rules[Web].Buckets));
    }

    /// <summary>
    /// Hosts 1 and 2 lose each other's heartbeats for the detection time while host 3 stops, so
    /// host 1 proposes {1,2}. The last heartbeats before the timeout cross the network while both
    /// hosts time out and claim everything alone; each then counts the other on a heartbeat older
    /// than those claims, which advertises a proposal the other no longer acts on.
    /// </summary>
    [Fact]
    public void CrossingHeartbeats_AfterBothClaimedAlone_ReleaseEverything()
    {
        var one = _lab.Boot(1);
        var two = _lab.Boot(2);
        var three = _lab.Boot(3);
        _lab.Run(1000, one, two, three);
        var lastHeard = _lab.Now;

        _lab.Now += 10;
        three.Execute(new HostCommand(HostCommandKind.Stop), _lab.Now);
        _lab.Tell(three, one);
        Assert.Equal([1, 2], one.Adopted.Members.Select(m => m.Priority));

        var timeout = lastHeard + DetectionMs + 1;
        while (_lab.Now + PeriodMs < timeout - 1)
        {
            _lab.Now += PeriodMs;
            foreach (var node in new[] { one, two, three })
            {
                node.Tick(_lab.Now);
            }

            _lab.Tell(one, three);
            _lab.Tell(three, one);
        }

        _lab.Now = timeout - 1;
        var fromOne = _lab.Heartbeat(one);
        var fromTwo = _lab.Heartbeat(two);
        _lab.Now = timeout;
        one.Tick(_lab.Now);
        two.Tick(_lab.Now);

        // Each takes the other over at once, then proposes itself alone a period later.
        _lab.Now = timeout + PeriodMs;
        one.Tick(_lab.Now);
        two.Tick(_lab.Now);
        Assert.Equal(Buckets, one.Ownership.Rules[Web].Buckets.Count);
        Assert.Equal(Buckets, two.Ownership.Rules[Web].Buckets.Count);

        _lab.Now++;
        one.Receive(fromTwo, _lab.Now);
        two.Receive(fromOne, _lab.Now);
        Assert.Contains(2, one.View(_lab.Now));
        Assert.Contains(1, two.View(_lab.Now));
        Assert.Empty(one.Ownership.Rules[Web].Buckets.Intersect(two.Ownership.Rules[Web].Buckets));

        _lab.Run(1000, one, two, three);
        Assert.Equal(DisplayState.ConvergedDefault, one.Display(_lab.Now));
        Assert.Equal(DisplayState.Converged, two.Display(_lab.Now));
        Assert.Equal(Buckets, one.Ownership.Rules[Web].Buckets.Count + two.Ownership.Rules[Web].Buckets.Count);
    }

    /// <summary>
    /// Epoch counters start again with the daemon: a restarted host that hears only hosts at
    /// counter k proposes k+1 again, while a host that was stopped all along still holds the old
    /// k+1 from the same host priority, with other members. Two proposals with one epoch.
    /// </summary>
    [Fact]
    public void SameEpochDifferentMembers_AfterARestart_IsNotAgreement()
    {
        var one = _lab.Boot(1);
        var two = _lab.Boot(2);
        var three = _lab.Boot(3);
        _lab.Run(1000, one, two, three);

        // Host 3 stops: host 1 proposes {1,2}, and host 2 adopts it; then host 2 stops too.
        three.Execute(new HostCommand(HostCommandKind.Stop), _lab.Now);
        _lab.Run(300, one, two, three);
        var stale = two.Adopted;
        Assert.Equal([1, 2], stale.Members.Select(m => m.Priority));
        two.Execute(new HostCommand(HostCommandKind.Stop), _lab.Now);
        _lab.Tell(two, one, three);

        // Host 1's daemon restarts; during its listening it hears host 3 (at the epoch before)
        // but not host 2, so its first proposal has host 2's stale epoch, with only itself.
        _lab.Now += 500;
        var again = _lab.Boot(1, incarnation: 1000);
        while (!again.IsParticipant)
        {
            _lab.Now += PeriodMs;
            again.Tick(_lab.Now);
            three.Tick(_lab.Now);
            _lab.Tell(three, again);
            _lab.Tell(again, three, two);
        }

        Assert.Equal(stale.Epoch, again.Adopted.Epoch);
        Assert.NotEqual(stale, again.Adopted);

        // Host 2 starts at once: whatever it and host 1 now do, they must not both own a bucket.
        two.Execute(new HostCommand(HostCommandKind.Start), _lab.Now);
        _lab.Tell(two, again);
        _lab.Tell(again, two);
        Assert.Contains(2, again.View(_lab.Now));
        Assert.Contains(1, two.View(_lab.Now));
        Assert.Empty(again.Ownership.Rules[Web].Buckets.Intersect(two.Ownership.Rules[Web].Buckets));

        _lab.Run(1000, again, two, three);
        Assert.Equal(DisplayState.ConvergedDefault, again.Display(_lab.Now));
        Assert.Equal(DisplayState.Converged, two.Display(_lab.Now));
    }
}
