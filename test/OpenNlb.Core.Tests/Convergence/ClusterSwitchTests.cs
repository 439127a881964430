using OpenNlb.Core.Configuration;
using OpenNlb.Core.Convergence;
using OpenNlb.Core.Membership;
using Xunit;
using static OpenNlb.Core.Tests.Convergence.SimCluster;

namespace OpenNlb.Core.Tests.Convergence;

/// <summary>
/// A changed cluster section is switched to only when every live host has staged it, a host that
/// switched first is not taken for a mismatch by those still switching, and the new node keeps
/// what the host accepted (docs/control.md, "Changing the cluster section").
/// </summary>
public sealed class ClusterSwitchTests
{
    private const ulong Next = 0xC0FFEE;
    private readonly NodeLab _lab = new();

    [Fact]
    public void TheSwitch_WaitsForEveryLiveHost_AndNothingChangesMeanwhile()
    {
        var (one, two, three) = (_lab.Boot(1), _lab.Boot(2), _lab.Boot(3));
        _lab.Run(1000, one, two, three);
        var adopted = one.Adopted;
        var owned = one.Ownership;

        one.Stage(Next);
        Assert.Equal([2, 3], one.StagePending(_lab.Now));
        Assert.False(one.SwitchDue(_lab.Now));

        two.Stage(Next);
        _lab.Run(200, one, two, three);
        Assert.Equal([3], one.StagePending(_lab.Now));
        Assert.False(one.SwitchDue(_lab.Now) || two.SwitchDue(_lab.Now));
        Assert.Equal(adopted, one.Adopted);
        Assert.Equal(owned, one.Ownership);

        three.Stage(Next);
        Assert.True(three.SwitchDue(_lab.Now));
        _lab.Tell(three, one, two);
        Assert.True(one.SwitchDue(_lab.Now) && two.SwitchDue(_lab.Now));
    }

    [Fact]
    public void StagingTheRunningSection_CancelsTheStage()
    {
        var (one, two) = (_lab.Boot(1), _lab.Boot(2));
        _lab.Run(1000, one, two);
        one.Stage(Next);
        one.Stage(Fingerprint);

        Assert.Equal(0UL, one.Staged);
        Assert.False(one.SwitchDue(_lab.Now));
        Assert.Empty(one.StagePending(_lab.Now));
    }

    [Fact]
    public void AHostSwitchedAhead_IsNeitherAMismatchNorADeparture_ForOneStillSwitching()
    {
        var (one, two) = (_lab.Boot(1), _lab.Boot(2));
        _lab.Run(1000, one, two);
        one.Stage(Next);
        two.Stage(Next);
        var adopted = one.Adopted;
        var owned = one.Ownership;

        // Host 2 switched: a new node, the same incarnation, the new fingerprint.
        var switched = new ConvergenceNode(Settings(2, 102, restarted: true, fingerprint: Next), _lab.Now);
        var outcome = one.Receive(_lab.Heartbeat(switched), _lab.Now);

        Assert.Equal(Observation.Switched, outcome);
        Assert.Empty(one.StagePending(_lab.Now));
        Assert.Equal(adopted, one.Adopted);
        Assert.Equal(owned, one.Ownership);
        Assert.Null(one.KeptOutReason);

        // Host 1, still on the old section, is a serving host to the new node: it stays out.
        for (var t = 0; t < 2 * DetectionMs; t += (int)PeriodMs)
        {
            _lab.Now += PeriodMs;
            _lab.Tell(one, switched);
            switched.Tick(_lab.Now);
            Assert.False(switched.IsParticipant);
        }

        Assert.Equal(DisplayState.Mismatched, switched.Display(_lab.Now));
        Assert.False(switched.Ownership.Rules[Web].Buckets.Count > 0);
    }

    [Fact]
    public void TheNewNode_KeepsWhatTheHostHad_OfRulesThatStayed_AndEverythingOfRulesThatChanged()
    {
        var (one, two) = (_lab.Boot(1), _lab.Boot(2));
        _lab.Run(1000, one, two);
        var had = one.Ownership;
        Assert.InRange(had.Rules[Web].Buckets.Count, 1, Buckets - 1);
        var changed = Config with
        {
            PortRules = [Config.PortRules[Web], Config.PortRules[Dns] with { Affinity = Affinity.None }, Config.PortRules[Admin]],
        };

        var kept = ClusterSwitch.Kept(had, Config.PortRules, changed.PortRules, Buckets);

        Assert.Equal(had.Rules[Web].Buckets.Concat(had.Rules[Web].KeptBuckets).Order(), Enumerable.Range(0, Buckets).Where(b => kept.Bucket(Web, b)));
        Assert.All(Enumerable.Range(0, Buckets), b => Assert.True(kept.Bucket(Dns, b)));
        Assert.True(kept.Single(Admin) && kept.Default);

        // The node that takes over starts from exactly that.
        var loaded = new NlbConfig(changed, new HostConfig { Priority = 1, Interface = "eth0", DedicatedIp = new IPNetworkAddress(System.Net.IPAddress.Parse("192.0.2.11"), 24) });
        var settings = ClusterSwitch.Settings(one, Config.PortRules, loaded, new LocalIdentity(ClusterId, Next, 1, 101, 3), Buckets);
        var next = new ConvergenceNode(settings, _lab.Now);
        Assert.Equal(had.Rules[Web].Buckets.Count + had.Rules[Web].KeptBuckets.Count, next.Ownership.Rules[Web].KeptBuckets.Count);
        Assert.Equal(Buckets, next.Ownership.Rules[Dns].KeptBuckets.Count);
        Assert.Empty(next.Ownership.Rules[Web].Buckets);
    }
}
