using OpenNlb.Core.Allocation;
using OpenNlb.Core.Membership;
using Xunit;

namespace OpenNlb.Core.Tests.Membership;

public sealed class MembershipTableTests
{
    private const long Detection = 500;
    private static readonly LocalIdentity Self = new(ClusterId: 7, Fingerprint: 99, Priority: 1, Incarnation: 1000, RuleCount: 1);

    private static Heartbeat From(int priority, ulong seq, ulong incarnation = 500, MemberState state = MemberState.Started, ulong fingerprint = 99, uint cluster = 7) =>
        new(cluster, fingerprint, priority, state, incarnation, seq, [new MemberRule(null, priority)]);

    [Fact]
    public void FirstHeartbeat_Joins_ThenRefreshes()
    {
        var (t, o) = MembershipTable.Empty.Observe(From(2, 1), Self, 0);
        Assert.Equal(Observation.Joined, o);
        (_, o) = t.Observe(From(2, 2), Self, 100);
        Assert.Equal(Observation.Refreshed, o);
    }

    [Fact]
    public void ReplayedOrReorderedHeartbeat_IsStale_AndChangesNothing()
    {
        var (t, _) = MembershipTable.Empty.Observe(From(2, 5), Self, 0);
        var (t2, o) = t.Observe(From(2, 5), Self, 100);
        Assert.Equal(Observation.Stale, o);
        Assert.Same(t, t2);
        (_, o) = t.Observe(From(2, 4), Self, 100);
        Assert.Equal(Observation.Stale, o);
        (_, o) = t.Observe(From(2, 9, incarnation: 400), Self, 100);
        Assert.Equal(Observation.Stale, o);
    }

    [Fact]
    public void RestartedPeer_IsTakenBackAsJoined()
    {
        var (t, _) = MembershipTable.Empty.Observe(From(2, 50), Self, 0);
        var (_, o) = t.Observe(From(2, 1, incarnation: 600), Self, 10);
        Assert.Equal(Observation.Joined, o);
    }

    [Fact]
    public void OtherCluster_Self_AndDuplicatePriority_AreNotMembers()
    {
        var t = MembershipTable.Empty;
        Assert.Equal(Observation.OtherCluster, t.Observe(From(2, 1, cluster: 8), Self, 0).Outcome);
        Assert.Equal(Observation.Self, t.Observe(From(1, 1, incarnation: 1000), Self, 0).Outcome);
        Assert.Equal(Observation.DuplicatePriority, t.Observe(From(1, 1, incarnation: 1001), Self, 0).Outcome);
        Assert.Empty(t.Members(0, Detection));
    }

    [Fact]
    public void MismatchedConfiguration_IsHeardButKeptOut_WithAReason()
    {
        var (t, o) = MembershipTable.Empty.Observe(From(2, 1, fingerprint: 98), Self, 0);
        Assert.Equal(Observation.Mismatched, o);
        Assert.Empty(t.Members(0, Detection));
        Assert.Contains("configuration differs", t.Peers[2].Excluded, StringComparison.Ordinal);
    }

    [Fact]
    public void SilentPeer_LeavesAfterTheDetectionTime_AndNotBefore()
    {
        var (t, _) = MembershipTable.Empty.Observe(From(2, 1), Self, 1000);
        Assert.Single(t.Members(1000 + Detection, Detection));
        Assert.Empty(t.Members(1000 + Detection + 1, Detection));
        Assert.Empty(t.Expire(1000 + Detection + 1, Detection).Peers);
    }

    [Fact]
    public void StoppedPeer_LeavesAtOnce()
    {
        var (t, _) = MembershipTable.Empty.Observe(From(2, 1), Self, 0);
        (t, var o) = t.Observe(From(2, 2, state: MemberState.Stopped), Self, 10);
        Assert.Equal(Observation.Stopped, o);
        Assert.Empty(t.Members(10, Detection));
    }
}
