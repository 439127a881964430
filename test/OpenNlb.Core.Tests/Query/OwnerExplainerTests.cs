using System.Net;
using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.DataPlane;
using OpenNlb.Core.Hashing;
using OpenNlb.Core.Query;
using Xunit;

namespace OpenNlb.Core.Tests.Query;

public sealed class OwnerExplainerTests
{
    private static readonly IPAddress Vip = IPAddress.Parse("10.0.0.10");
    private static readonly IPAddress Client = IPAddress.Parse("198.51.100.7");
    private const ulong Epoch = (5UL << 8) | 1;

    private static readonly ClusterConfig Cluster = new()
    {
        Name = "why",
        Vips = [Vip],
        PortRules =
        [
            new PortRule { Name = "web", Ports = new PortRange(80, 80), Protocol = Protocol.Tcp, Affinity = Affinity.None },
            new PortRule { Name = "sticky", Ports = new PortRange(443, 443), Protocol = Protocol.Tcp, Affinity = Affinity.Single, AffinityTimeoutSeconds = 60 },
            new PortRule { Name = "net", Ports = new PortRange(8443, 8443), Protocol = Protocol.Both, Affinity = Affinity.Network },
            new PortRule { Name = "solo", Ports = new PortRange(22, 22), Protocol = Protocol.Tcp, Filtering = FilteringMode.Single },
            new PortRule { Name = "off", Ports = new PortRange(9000, 9000), Protocol = Protocol.Both, Filtering = FilteringMode.Disabled },
        ],
    };

    private static readonly Member[] Members = [Equal(1), Equal(2)];
    private static readonly ClusterMap Map = BucketAllocator.Allocate(Cluster, Members);

    private static Member Equal(int host) => new(host, Cluster.PortRules.Select(_ => new MemberRule(null, host)).ToList());

    private static int Bucket(int rule, int clientPort = 0) =>
        FlowHash.Bucket(Cluster.PortRules[rule].Affinity, Client, (ushort)clientPort, HashSeed.ForCluster("why"), BucketAllocator.BucketCount);

    /// <summary>Host 1's view: it owns what the map gives it, and keeps <paramref name="kept"/> of web.</summary>
    private static HostView View(int host = 1, string state = "converged", IReadOnlyList<int>? kept = null, RuleState web = RuleState.Enabled, bool noMap = false)
    {
        var rules = Cluster.PortRules.Select((r, i) => r.Filtering switch
        {
            FilteringMode.Multiple => new RuleOwnership(Map.BucketsOf(host, i).Except(i == 0 ? kept ?? [] : []).ToArray(), false, i == 0 ? kept : null),
            FilteringMode.Single => new RuleOwnership([], Map.Rules[i].SingleOwner == host),
            _ => RuleOwnership.None,
        }).ToList();
        var states = Cluster.PortRules.Select((_, i) => i == 0 ? web : RuleState.Enabled).ToList();
        return new HostView(host, state, noMap ? 0 : Epoch, noMap ? [] : [1, 2], noMap ? null : Map, new Ownership(rules, IsDefaultHost: host == 1), states);
    }

    private static OwnerReport Live(HostView view, int port, int clientPort = 51234, Protocol protocol = Protocol.Tcp, FlowFacts? facts = null) =>
        OwnerExplainer.Live(Cluster, view, new FlowQuery(Client, clientPort, Vip, port, protocol), facts ?? FlowFacts.None);

    /// <summary>A client port whose web bucket the map gives to <paramref name="host"/>.</summary>
    private static int PortOwnedBy(int host) => Enumerable.Range(40000, 1000).First(p => Map.Rules[0].OwnerOf(Bucket(0, p)) == host);

    [Fact]
    public void OwnedBucket_SaysWhichBucketWhichHostWhichEpoch_AndThatThisHostTakesIt()
    {
        var port = PortOwnedBy(1);
        var b = Bucket(0, port);
        var r = Live(View(), 80, port);

        Assert.Equal(("web", b, 1, "owns"), (r.Rule, r.Bucket!.Value, r.Owner!.Value, r.ThisHost!.Role));
        Assert.Equal(Epoch, r.Epoch);
        Assert.Equal($"bucket {b} of rule web, owned by host 1 in map epoch 5/1", r.Why[0]);
        Assert.Equal($"affinity none hashes the client address and port (198.51.100.7:{port}): each connection of a client may go to another host", r.Why[1]);
        Assert.Equal($"this host (1) owns bucket {b}: it takes its new flows", r.Why[2]);
    }

    [Fact]
    public void KeptBucket_IsAHandOver_NewFlowsGoToTheOwner()
    {
        var port = PortOwnedBy(2);
        var b = Bucket(0, port);
        var r = Live(View(kept: [b]), 80, port);

        Assert.Equal("keeps", r.ThisHost!.Role);
        Assert.Equal(2, r.Owner);
        Assert.Contains($"this host (1) keeps bucket {b} from an earlier map: it serves the flows it had there (hand-over); new ones go to host 2", r.Why);
    }

    [Fact]
    public void AnotherHostsBucket_IsDropped()
    {
        var port = PortOwnedBy(2);
        var r = Live(View(), 80, port);

        Assert.Equal("none", r.ThisHost!.Role);
        Assert.Contains($"this host (1) neither owns nor keeps bucket {Bucket(0, port)}: it drops the flow's packets", r.Why);
    }

    [Fact]
    public void BucketTheMapGivesThisHost_NotClaimedYet_IsSaidSo()
    {
        var port = PortOwnedBy(1);
        var view = View(state: "converging") with { Ownership = Ownership.Nothing(Cluster.PortRules.Count) };
        var r = Live(view, 80, port);

        Assert.Equal("none", r.ThisHost!.Role);
        Assert.Contains("this host (1) is converging: its share may not be claimed yet", r.Why);
        Assert.Contains($"the map gives bucket {Bucket(0, port)} to this host (1), which claims it once the hosts that had it have let it go; until then it drops the flow's packets", r.Why);
    }

    [Fact]
    public void WhatTheKernelHolds_IsExplained()
    {
        var r = Live(View(), 443, 0, Protocol.Tcp, new FlowFacts(ForeignFlow: false, ForeignClient: true, AffinityClient: false, Connection: null));
        Assert.True(r.ThisHost!.ForeignClient);
        Assert.Contains("client 198.51.100.7 is one another host keeps under extended affinity: this host (1) refuses its new connections until it has been idle 60 s", r.Why);

        var udp = Live(View(), 8443, 5000, Protocol.Udp, new FlowFacts(true, false, false, "udp"));
        Assert.Contains("the UDP flow 198.51.100.7:5000 is one another host keeps (handed over at a map change): this host (1) drops its packets until it has been idle a while", udp.Why);
        Assert.Contains("this host (1) has a conntrack entry for this flow (udp): it is serving it", udp.Why);
    }

    [Fact]
    public void AffinityClientOfAKeptBucket_StillComesHere()
    {
        var b = Bucket(1);
        var owner = Map.Rules[1].OwnerOf(b);
        var other = owner == 1 ? 2 : 1;
        var view = View(host: other);
        var rules = view.Ownership.Rules.ToArray();
        rules[1] = new RuleOwnership(rules[1].Buckets, false, [b]);
        var r = Live(view with { Ownership = view.Ownership with { Rules = rules } }, 443, 0, Protocol.Tcp, new FlowFacts(false, false, AffinityClient: true, null));

        Assert.Equal("keeps", r.ThisHost!.Role);
        Assert.Contains($"client 198.51.100.7 is an extended-affinity client of this host ({other}): its new connections still come here until it has been idle 60 s", r.Why);
    }

    [Fact]
    public void Affinity_SaysWhatIsHashed()
    {
        Assert.Equal("affinity single hashes the client address only (198.51.100.7): every connection of this client goes to the same host", Live(View(), 443).Why[1]);
        Assert.Equal("affinity network hashes the client's network only (198.51.100.0/24): every client of it goes to the same host", Live(View(), 8443).Why[1]);
    }

    [Fact]
    public void SingleHostRule_NamesTheHostWithTheBestHandlingPriority()
    {
        var r = Live(View(host: 2), 22);
        Assert.Equal("port rule solo is single-host: host 1 serves it in map epoch 5/1 (the member with the best handling priority for it)", r.Why[0]);
        Assert.Equal("none", r.ThisHost!.Role);
        Assert.Null(r.Bucket);
    }

    [Fact]
    public void UncoveredPort_GoesToTheDefaultHost()
    {
        var r = Live(View(), 25);
        Assert.Null(r.Rule);
        Assert.Equal("no port rule covers tcp port 25 on 10.0.0.10: the default host, host 1, takes it in map epoch 5/1 (the member with the best host priority)", r.Why[0]);
        Assert.Equal("owns", r.ThisHost!.Role);
        Assert.Contains("this host (1) owns the default host's traffic: it takes its new flows", r.Why);
    }

    [Fact]
    public void DisabledRuleOnThisHost_AndStoppedHost_AreSaid()
    {
        var r = Live(View(state: "stopped", web: RuleState.Disabled), 80, PortOwnedBy(1));
        Assert.Equal("disabled", r.ThisHost!.RuleState);
        Assert.Contains("this host (1) is stopped: it takes no traffic", r.Why);
        Assert.Contains("port rule web is disabled on this host (1): it takes none of the rule's traffic", r.Why);
    }

    [Fact]
    public void FilteringDisabled_IsDroppedByEveryHost()
    {
        Assert.Equal("port rule off has filtering disabled: every host drops its traffic", Live(View(), 9000).Why[0]);
    }

    [Fact]
    public void BeforeAnyMap_NoHostTakesNewFlows()
    {
        var r = Live(View(noMap: true), 80);
        Assert.Null(r.Owner);
        Assert.Equal("this host has adopted no map yet: no host takes new flows until the cluster has converged", r.Why[0]);
    }

    [Fact]
    public void NotAVip_HasNoOwnerAndNoLocalVerdict()
    {
        var r = OwnerExplainer.Live(Cluster, View(), new FlowQuery(Client, 1, IPAddress.Parse("10.0.0.99"), 80, Protocol.Tcp), FlowFacts.None);
        Assert.Null(r.Owner);
        Assert.Null(r.ThisHost);
        Assert.Equal("10.0.0.99 is not a VIP of cluster 'why': no host filters it", r.Why.Single());
    }

    [Fact]
    public void Offline_AnswersFromTheMembers_WithoutALocalVerdict()
    {
        var port = PortOwnedBy(2);
        var r = OwnerExplainer.Offline(Cluster, Members, new FlowQuery(Client, port, Vip, 80, Protocol.Tcp));
        Assert.Equal(2, r.Owner);
        Assert.Null(r.ThisHost);
        Assert.Null(r.Epoch);
        Assert.Equal($"bucket {Bucket(0, port)} of rule web, owned by host 2 in the map of members 1 2", r.Why[0]);
    }
}
