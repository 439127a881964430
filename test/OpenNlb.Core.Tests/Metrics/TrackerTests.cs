using OpenNlb.Core.Metrics;
using Xunit;

namespace OpenNlb.Core.Tests.Metrics;

public sealed class SequenceGapsTests
{
    [Fact]
    public void Gaps_AreCountedPerSender_AndARestartStartsAfresh()
    {
        var gaps = new SequenceGaps();

        Assert.Equal(0, gaps.Observe(2, incarnation: 100, sequence: 7));
        Assert.Equal(0, gaps.Observe(2, 100, 8));
        Assert.Equal(3, gaps.Observe(2, 100, 12));
        Assert.Equal(0, gaps.Observe(3, 500, 1));
        Assert.Equal(0, gaps.Observe(2, 100, 11));
        Assert.Equal(0, gaps.Observe(2, 100, 13));

        // Restarted: its sequence starts again, which is no loss.
        Assert.Equal(0, gaps.Observe(2, 200, 1));
        Assert.Equal(1, gaps.Observe(2, 200, 3));
        Assert.Equal(1, gaps.Observe(3, 500, 3));
    }
}

public sealed class FailoverClockTests
{
    [Fact]
    public void Failover_RunsFromTheLastHeartbeatToAConvergenceWithoutTheHost()
    {
        var clock = new FailoverClock();
        clock.Lost(3, lastHeardMs: 1_000);

        // A convergence on a map that still holds host 3 is not the failover.
        Assert.Null(clock.Converged(1_200, [1, 2, 3]));
        Assert.Equal(340, clock.Converged(1_340, [1, 2]));

        // Measured once.
        Assert.Null(clock.Converged(2_000, [1, 2]));
    }

    [Fact]
    public void TwoHostsLost_AreMeasuredFromTheFirst_AndAHostThatCameBack_IsNotAFailover()
    {
        var clock = new FailoverClock();
        clock.Lost(2, 1_000);
        clock.Lost(3, 1_050);
        Assert.Equal(400, clock.Converged(1_400, [1]));

        clock.Lost(4, 5_000);
        clock.Returned(4);
        Assert.Null(clock.Converged(5_500, [1]));
    }
}
