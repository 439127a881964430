using OpenNlb.Core.Convergence;
using Xunit;
using static OpenNlb.Core.Tests.Convergence.SimCluster;

namespace OpenNlb.Core.Tests.Convergence;

/// <summary>
/// nlbd stamps a datagram when it arrives and the node may read it after a later tick. The node
/// judges the peers at the latest time it was given, never at the earlier stamp.
/// </summary>
public sealed class ConvergenceClockTests
{
    private readonly NodeLab _lab = new();

    [Fact]
    public void AHeartbeatStampedBeforeAnExpiry_DoesNotCountTheExpiredHostAgain()
    {
        var one = _lab.Boot(1);
        var two = _lab.Boot(2);
        var three = _lab.Boot(3);
        _lab.Run(1000, one, two, three);
        Assert.Equal([1, 2, 3], one.View(_lab.Now));

        // Host 3 falls silent; host 2 goes on. Host 2's heartbeat that arrives just before host 3
        // expires is read only after host 1 has expired host 3 and proposed the two survivors.
        var crash = _lab.Now;
        while (_lab.Now < crash + DetectionMs - PeriodMs)
        {
            _lab.Now += PeriodMs;
            one.Tick(_lab.Now);
            two.Tick(_lab.Now);
            _lab.Tell(one, two);
            _lab.Tell(two, one);
        }

        _lab.Now = crash + DetectionMs - 10;
        var late = _lab.Heartbeat(two);
        var arrived = _lab.Now;
        _lab.Now = crash + DetectionMs + 1;
        one.Tick(_lab.Now);

        // The coordinator proposes the survivors a period after the expiry (the takeover's grace).
        _lab.Now += PeriodMs;
        one.Tick(_lab.Now);
        Assert.Equal([1, 2], one.Adopted.Members.Select(m => m.Priority));
        var kept = one.Ownership.Rules[Web].Buckets.ToArray();
        Assert.NotEmpty(kept);

        // At its arrival stamp host 3 was still live, and on another proposal: judged then, host 3
        // would be a newly counted participant and host 1 would release everything.
        one.Receive(late, arrived);

        Assert.Equal([1, 2], one.View(_lab.Now));
        Assert.Equal(kept, one.Ownership.Rules[Web].Buckets);
    }

    [Fact]
    public void AfterAHostDies_TheSurvivorsAreConverging_UntilTheyHoldAMapWithoutIt()
    {
        var one = _lab.Boot(1);
        var two = _lab.Boot(2);
        var three = _lab.Boot(3);
        _lab.Run(1000, one, two, three);
        Assert.Equal(DisplayState.Converged, two.Display(_lab.Now));

        // Host 3 falls silent; host 2 expires it while host 1 (the coordinator) has not proposed yet.
        var crash = _lab.Now;
        while (_lab.Now <= crash + DetectionMs)
        {
            _lab.Now += PeriodMs;
            two.Tick(_lab.Now);
            _lab.Tell(one, two);
        }

        Assert.Equal([1, 2], two.View(_lab.Now));
        Assert.Equal([1, 2, 3], two.Adopted.Members.Select(m => m.Priority));
        Assert.Equal(DisplayState.Converging, two.Display(_lab.Now));
    }
}
