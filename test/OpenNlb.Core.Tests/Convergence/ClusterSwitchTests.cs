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
        var (one, switched) = TwoStagedAndHost2Switched();
        var (adopted, owned) = (one.Adopted, one.Ownership);
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
    public void AHostThatCannotSwitch_KeepsCountingTheOnesThatDid_AndClaimsNothingOfTheirs()
    {
        var (one, switched) = TwoStagedAndHost2Switched();
        var (adopted, owned) = (one.Adopted, one.Ownership);

        // Host 1 stays on the old section (its kernel refused the new ruleset) for many detection times.
        for (var t = 0; t < 4 * DetectionMs; t += (int)PeriodMs)
        {
            _lab.Now += PeriodMs;
            one.Tick(_lab.Now);
            one.Receive(_lab.Heartbeat(switched), _lab.Now);
        }

        Assert.Equal([1, 2], one.View(_lab.Now));
        Assert.Equal(adopted, one.Adopted);
        Assert.Equal(owned, one.Ownership);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void HostsSwitchingAtDifferentTimes_IssueTheirFirstMapWithEveryOne_OnlyWhenTheyAwaitEachOther(bool await)
    {
        var hosts = new[] { _lab.Boot(1), _lab.Boot(2), _lab.Boot(3) };
        _lab.Run(1000, hosts);
        foreach (var host in hosts)
        {
            host.Stage(Next);
        }

        _lab.Run(100, hosts);
        Assert.All(hosts, h => Assert.True(h.SwitchDue(_lab.Now)));

        // Each asks whom it took part with as the switch falls due, before its transaction (nlbd).
        var partners = hosts.Select((h, i) => h.View(_lab.Now).Where(p => p != i + 1).ToHashSet()).ToArray();
        Assert.All(partners, p => Assert.Equal(2, p.Count));

        // Host 3 switches first; hosts 1 and 2 are in their rulesets' transactions for a second,
        // their watchdogs repeating their last heartbeats.
        ConvergenceNode Switch(int priority) => new(
            Settings(priority, (ulong)(100 + priority), restarted: true, fingerprint: Next) with
            {
                AwaitPeers = await ? partners[priority - 1] : new HashSet<int>(),
                AwaitUntilMs = _lab.Now + 5000,
            },
            _lab.Now);
        var (old1, old2) = (hosts[0], hosts[1]);
        var (last1, last2) = (_lab.Heartbeat(old1), _lab.Heartbeat(old2));
        var three = Switch(3);
        _lab.Continue(hosts[2], three);
        var firstMaps = new List<Proposal>();
        for (var t = 0; t < 1000; t += (int)PeriodMs)
        {
            _lab.Now += PeriodMs;
            three.Receive(last1 with { Sequence = last1.Sequence + (ulong)t + 1 }, _lab.Now);
            three.Receive(last2 with { Sequence = last2.Sequence + (ulong)t + 1 }, _lab.Now);
            three.Tick(_lab.Now);
            _lab.Collect(three);
            Note(three);
        }

        var (one, two) = (Switch(1), Switch(2));
        _lab.Continue(old1, one, resent: 1000);
        _lab.Continue(old2, two, resent: 1000);
        var now = new[] { one, two, three };
        for (var t = 0; t < 2000; t += (int)PeriodMs)
        {
            _lab.Run(PeriodMs, now);
            foreach (var node in now)
            {
                Note(node);
            }
        }

        Assert.All(now, n => Assert.Equal([1, 2, 3], n.Adopted.Members.Select(m => m.Priority)));
        if (await)
        {
            Assert.All(firstMaps, p => Assert.Equal([1, 2, 3], p.Members.Select(m => m.Priority)));
        }
        else
        {
            // The gate is what the test sees: without it, host 3 serves a map of its own first.
            Assert.Contains(firstMaps, p => p.Members.Count < 3);
        }

        void Note(ConvergenceNode node)
        {
            if (node.Adopted.Epoch != 0 && !firstMaps.Contains(node.Adopted))
            {
                firstMaps.Add(node.Adopted);
            }
        }
    }

    /// <summary>Two converged hosts stage <see cref="Next"/>; host 2 switches: a new node, the same incarnation, the new fingerprint.</summary>
    private (ConvergenceNode One, ConvergenceNode Switched) TwoStagedAndHost2Switched()
    {
        var (one, two) = (_lab.Boot(1), _lab.Boot(2));
        _lab.Run(1000, one, two);
        one.Stage(Next);
        two.Stage(Next);
        var switched = new ConvergenceNode(Settings(2, 102, restarted: true, fingerprint: Next), _lab.Now);
        _lab.Continue(two, switched);
        return (one, switched);
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
