using System.Net;
using OpenNlb.Cli.Control;
using OpenNlb.Core.Control;
using OpenNlb.Core.Query;
using OpenNlb.Core.Status;
using Xunit;

namespace OpenNlb.Cli.Tests;

public sealed class FormatterTests
{
    [Fact]
    public void Params_OneParameterALine_ThenThePortRulesAsATable()
    {
        var text = ParamsFormatter.Format(Samples.Params);

        Assert.Equal(
            $"""
            configuration   /etc/opennlb/nlb.yaml (sha256 00ff)
            fingerprint     {Samples.Params.Fingerprint} (of the cluster section: every host must have the same)
            cluster         lab
            VIPs            192.0.2.100
            mode            unicast, cluster MAC 02:bf:c0:00:02:64
            ICMP            filtered (one host answers a ping)
            heartbeat       every 50 ms on UDP port 2526; a host is dropped after 5 missed (250 ms); lease 200 ms
            cluster key     from /etc/opennlb/key
            hash            seed {Samples.Params.Cluster.HashSeed}, 16384 buckets per multiple-host rule
            host priority   2
            interface       eth0, dedicated IP 192.0.2.12/24
            initial state   started

            port rules:
            NAME    VIP          PORTS      PROTOCOL  FILTERING  AFFINITY  AFFINITY TIMEOUT  LOAD WEIGHT  HANDLING PRIORITY
            web     all          80         tcp       multiple   none      -                 30           -
            sticky  all          8000-8080  tcp       multiple   single    300 s             equal        -
            ssh     192.0.2.100  22         tcp       single     -         -                 -            1

            """,
            text);
    }

    [Fact]
    public void Query_ShowsThisHostItsRulesAndItsPeers()
    {
        Assert.Equal(
            """
            host 2: converged
              members: 1 2   map epoch 7/1   default host 1
              rule web: enabled, weight 30, owns 3781, keeps 2
              rule sticky: draining, weight equal, owns 8192, keeps 0
              rule ssh: enabled, handling priority 1, owns 0, keeps 0
              convergences 4, last took 120 ms
            host 1: converged

            """,
            QueryFormatter.Format(Samples.Status));
    }

    [Fact]
    public void Query_ShowsAStagedClusterSection_AsThisHostsOwn_BeforeThePeers()
    {
        var status = Samples.Status with
        {
            Staged = new StagedStatus("00000000c0ffee00", ["cluster.portRules[3] (dns): added"], [1]),
        };

        var lines = QueryFormatter.Format(status).Split('\n');

        var staged = Array.FindIndex(lines, l => l.StartsWith("  staged cluster section 00000000c0ffee00: cluster.portRules[3] (dns): added; waiting for host(s) 1", StringComparison.Ordinal));
        Assert.InRange(staged, 1, Array.FindIndex(lines, l => l.StartsWith("host 1:", StringComparison.Ordinal)) - 1);
    }

    [Fact]
    public void Display_HasFourSections_EventsOldestFirst_CountersSorted()
    {
        var response = new ControlResponse
        {
            Ok = true,
            Params = Samples.Params,
            Status = Samples.Status,
            Events =
            [
                new LogEvent(new DateTimeOffset(2025, 3, 1, 11, 0, 0, TimeSpan.Zero), 1000, "Starting", "information", "nlbd starting"),
                new LogEvent(new DateTimeOffset(2025, 3, 1, 11, 0, 1, TimeSpan.Zero), 1102, "PeerExcluded", "warning", "host 3 kept out: configuration differs"),
            ],
        };
        var text = DisplayFormatter.Format(response);

        var sections = new[] { "=== Configuration\n", "=== State\nhost 2: converged\n", "=== Last 2 events (oldest first)\n", "=== Counters\n" };
        var at = sections.Select(s => text.IndexOf(s, StringComparison.Ordinal)).ToList();
        Assert.All(at, i => Assert.True(i >= 0, text));
        Assert.Equal(at.Order(), at);
        Assert.Contains("  1000  nlbd starting\n", text, StringComparison.Ordinal);
        Assert.Contains("  1102  WARNING: host 3 kept out: configuration differs\n", text, StringComparison.Ordinal);
        Assert.True(text.IndexOf("1000  nlbd", StringComparison.Ordinal) < text.IndexOf("1102  WARNING", StringComparison.Ordinal));
        Assert.Contains("COUNTER                     VALUE\ndatagrams_rejected_bad_mac  2\nheartbeats_sent             900\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Owner_ShowsTheFlowTheBucketTheOwnerThisHostAndWhy()
    {
        var report = new OwnerReport
        {
            Client = "2001:db8::7",
            ClientPort = 51234,
            Vip = "192.0.2.100",
            Port = 80,
            Protocol = "tcp",
            Rule = "web",
            Bucket = 1234,
            Hash = "jhash ip6 saddr . tcp sport mod 16384 seed 0x01020304",
            Owner = 1,
            Epoch = (7UL << 8) | 1,
            Members = [1, 2],
            Reason = "port rule 'web' is multiple-host with affinity none: the bucket's owner takes it",
            ThisHost = new LocalVerdict(2, "converged", "keeps", "enabled", ForeignFlow: false, ForeignClient: false, AffinityClient: true, Connection: "ESTABLISHED"),
            Why = ["first", "second"],
        };

        Assert.Equal(
            """
            flow:    [2001:db8::7]:51234 -> 192.0.2.100:80/tcp
            rule:    port rule 'web' is multiple-host with affinity none: the bucket's owner takes it
            bucket:  1234 = jhash ip6 saddr . tcp sport mod 16384 seed 0x01020304
            owner:   host 1 (map epoch 7/1, members 1 2)
            here:    host 2 (converged) keeps it, affinity client, conntrack ESTABLISHED
            why:     first
                     second

            """,
            OwnerFormatter.Format(new ControlResponse { Ok = true, Owner = report }));
    }

    [Fact]
    public void OfflineOwner_HasNoEpochAndNoLocalLine()
    {
        var text = OwnerFormatter.Format(new ControlResponse { Ok = true, Owner = new OwnerReport { Client = "198.51.100.7", Vip = "192.0.2.100", Port = 22, Protocol = "tcp", Reason = "r", Members = [1] } });
        Assert.Contains("owner:   none (members 1)\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("here:", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Ip2Mac_ShowsNlbsDashesAndIpsColons()
    {
        Assert.Equal(
            "cluster IP:     10.0.0.10\nunicast MAC:    02-bf-0a-00-00-0a  (02:bf:0a:00:00:0a)\nmulticast MAC:  03-bf-0a-00-00-0a  (03:bf:0a:00:00:0a)\n",
            Ip2MacCommand.Format(MacReport.Of(IPAddress.Parse("10.0.0.10")).Report!));
    }

    [Fact]
    public void CommandAnswer_IsItsMessage_ThenWhatTheCommandShows()
    {
        var response = new ControlResponse { Ok = true, Message = "draining web: no new flows, existing ones kept", Status = Samples.Status };
        Assert.Equal("draining web: no new flows, existing ones kept\n", HostCommands.Text("drain", response));
        Assert.StartsWith("host 2: converged\n", HostCommands.Text("query", response with { Message = null }), StringComparison.Ordinal);
    }

    [Fact]
    public void Json_IsIndented_WithTheSchemaVersion_AndReadableQuotes()
    {
        var json = CliJson.Serialize(ControlResponse.Failed("no port rule named 'wbe'"));
        Assert.Equal("{\n  \"schemaVersion\": 1,\n  \"ok\": false,\n  \"error\": \"no port rule named 'wbe'\"\n}", json.ReplaceLineEndings("\n"));
    }
}
