using OpenNlb.Core.Membership;
using Xunit;

namespace OpenNlb.Core.Tests.Membership;

public sealed class ReplayGuardTests
{
    private const ReplayVerdict Fresh = ReplayVerdict.Fresh;
    private const ReplayVerdict Replayed = ReplayVerdict.Replayed;

    [Fact]
    public void Check_IncreasingSequences_AreFresh_RepeatsAndOlderOnesReplayed()
    {
        var guard = new ReplayGuard();

        Assert.Equal(Fresh, guard.Check(2, 100, 1));
        Assert.Equal(Fresh, guard.Check(2, 100, 2));
        Assert.Equal(Fresh, guard.Check(2, 100, 10)); // lost datagrams leave gaps
        Assert.Equal(Replayed, guard.Check(2, 100, 10));
        Assert.Equal(Replayed, guard.Check(2, 100, 9));
        Assert.Equal(Replayed, guard.Check(2, 100, 1));
        Assert.Equal(Fresh, guard.Check(2, 100, 11));
    }

    [Fact]
    public void Check_EachPriorityHasItsOwnSequenceSpace()
    {
        var guard = new ReplayGuard();

        Assert.Equal(Fresh, guard.Check(1, 100, 5));
        Assert.Equal(Fresh, guard.Check(64, 100, 5));
        Assert.Equal(Fresh, guard.Check(2, 100, 1));
        Assert.Equal(Replayed, guard.Check(1, 100, 5));
        Assert.Equal(Replayed, guard.Check(64, 100, 4));
    }

    [Fact]
    public void Check_ARestart_IsFresh_AndTheOldIncarnationStaysReplayProtected()
    {
        var guard = new ReplayGuard();
        Assert.Equal(Fresh, guard.Check(3, 100, 500));

        Assert.Equal(Fresh, guard.Check(3, 200, 0)); // restarted: the sequence starts again
        Assert.Equal(Fresh, guard.Check(3, 200, 1));
        Assert.Equal(Replayed, guard.Check(3, 100, 500));
        Assert.Equal(Replayed, guard.Check(3, 200, 1));
    }

    [Fact]
    public void Check_TwoLiveHostsWithOnePriority_BothStayFresh()
    {
        // A configuration mistake, not an attack: both must be heard so the duplicate is reported.
        var guard = new ReplayGuard();

        for (ulong seq = 1; seq <= 1000; seq++)
        {
            Assert.Equal(Fresh, guard.Check(4, 2000, seq));
            Assert.Equal(Fresh, guard.Check(4, 1000, seq + 7));
        }

        Assert.Equal([1000ul, 2000ul], guard.Incarnations(4));
    }

    [Fact]
    public void Check_WithFourRemembered_AnOlderIncarnationIsReplayed_ANewerOneReplacesTheOldest()
    {
        var guard = new ReplayGuard();
        foreach (var incarnation in new ulong[] { 40, 10, 30, 20 })
        {
            Assert.Equal(Fresh, guard.Check(5, incarnation, 1));
        }

        Assert.Equal(Replayed, guard.Check(5, 9, 1000));
        Assert.Equal(Fresh, guard.Check(5, 25, 1)); // never seen, newer than the oldest: a fifth sender
        Assert.Equal([20ul, 25ul, 30ul, 40ul], guard.Incarnations(5));
        Assert.Equal(Replayed, guard.Check(5, 10, 2)); // forgotten, and older than all remembered
        Assert.Equal(Fresh, guard.Check(5, 50, 1));
        Assert.Equal([25ul, 30ul, 40ul, 50ul], guard.Incarnations(5));
        Assert.Equal(Replayed, guard.Check(5, 20, 2));
        Assert.Equal(Fresh, guard.Check(5, 40, 2));
        Assert.Equal(Replayed, guard.Check(5, 40, 2));
    }

    [Fact]
    public void Check_ManyRestarts_KeepOnlyTheNewestFour()
    {
        var guard = new ReplayGuard();
        for (ulong incarnation = 1; incarnation <= 100; incarnation++)
        {
            Assert.Equal(Fresh, guard.Check(6, incarnation, 1));
            Assert.Equal(Fresh, guard.Check(6, incarnation, 2));
        }

        Assert.Equal([97ul, 98ul, 99ul, 100ul], guard.Incarnations(6));
        for (ulong incarnation = 1; incarnation <= 100; incarnation++)
        {
            Assert.Equal(Replayed, guard.Check(6, incarnation, 2));
        }
    }

    [Fact]
    public void Check_RandomReplaysOfARecordedStream_AreAllRefused()
    {
        // Record what three incarnations of one host sent, then replay any of it in any order.
        var guard = new ReplayGuard();
        var recorded = new List<(ulong Incarnation, ulong Sequence)>();
        for (ulong incarnation = 1; incarnation <= 3; incarnation++)
        {
            for (ulong seq = 0; seq < 50; seq++)
            {
                Assert.Equal(Fresh, guard.Check(7, incarnation * 1000, seq));
                recorded.Add((incarnation * 1000, seq));
            }
        }

        var random = new Random(11);
        for (var i = 0; i < 10_000; i++)
        {
            var (incarnation, seq) = recorded[random.Next(recorded.Count)];
            Assert.Equal(Replayed, guard.Check(7, incarnation, seq));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(65)]
    public void Check_PriorityOutsideTheRange_Throws(int priority)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReplayGuard().Check(priority, 1, 1));
    }
}
