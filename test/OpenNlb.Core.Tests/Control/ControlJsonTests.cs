using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Control;
using OpenNlb.Core.DataPlane;
using OpenNlb.Core.Query;
using OpenNlb.Core.Status;
using OpenNlb.Core.Tests.Configuration;
using Xunit;

namespace OpenNlb.Core.Tests.Control;

/// <summary>
/// Every answer `nlb --json` prints survives a round trip through its JSON, and carries the field
/// names docs/cli.md documents: a rename is a schema change, and these tests make it visible.
/// </summary>
public sealed class ControlJsonTests
{
    private const int V = ControlResponse.CurrentSchemaVersion;

    private static readonly HostStatus Status = new()
    {
        HostPriority = 2,
        ProcessId = 4242,
        State = "converged",
        LiveHosts = [1, 2],
        Members = [1, 2],
        Epoch = (5UL << 8) | 1,
        DefaultHost = 1,
        BucketsOwned = new Dictionary<string, int> { ["web"] = 8192 },
        BucketsKept = new Dictionary<string, int> { ["web"] = 3 },
        Rules = [new RuleStatus("web", "enabled", null, 2)],
        Peers = [new PeerStatus(1, "started", true, true, null, (5UL << 8) | 1, 12)],
        Convergences = 3,
        LastConvergenceMs = 41.5,
        Counters = new Dictionary<string, long> { ["heartbeats_sent"] = 100 },
        UpdatedAt = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
    };

    private static readonly ParamsReport Params = ParamsReport.Of(ConfigSamples.Full(), "/etc/opennlb/nlb.yaml", new string('a', 64));

    private static readonly IReadOnlyList<LogEvent> Events =
        [new LogEvent(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), 1100, "PeerJoined", "information", "host 1 joined")];

    private static OwnerReport Owner()
    {
        var cluster = ConfigSamples.Full().Cluster;
        var members = new[] { new Member(1, cluster.PortRules.Select(_ => new MemberRule(null, 1)).ToList()) };
        var view = new HostView(1, "converged", (5UL << 8) | 1, [1], BucketAllocator.Allocate(cluster, members), Ownership.Nothing(cluster.PortRules.Count), cluster.PortRules.Select(_ => RuleState.Enabled).ToList());
        var flow = new FlowQuery(IPAddress.Parse("198.51.100.7"), 51234, cluster.Vips[0], 80, Protocol.Tcp);
        return OwnerExplainer.Live(cluster, view, flow, new FlowFacts(false, false, false, "ESTABLISHED"));
    }

    public static TheoryData<string, ControlResponse, string[]> Answers() => new()
    {
        { "command", new ControlResponse { SchemaVersion = V, Ok = true, Message = "stopped", Status = Status }, ["schemaVersion", "ok", "message", "status.hostPriority", "status.bucketsOwned.web", "status.peers[0].silentForMs", "status.counters.heartbeats_sent"] },
        { "query", new ControlResponse { SchemaVersion = V, Ok = true, Status = Status }, ["status.state", "status.epoch", "status.rules[0].handlingPriority", "status.updatedAt"] },
        { "params", new ControlResponse { SchemaVersion = V, Ok = true, Params = Params }, ["params.configPath", "params.fileSha256", "params.fingerprint", "params.cluster.clusterMac", "params.cluster.hashSeed", "params.cluster.heartbeat.detectionMs", "params.cluster.heartbeat.key", "params.cluster.portRules[0].firstPort", "params.cluster.portRules[0].affinityTimeoutSeconds", "params.host.dedicatedIp", "params.host.portRules[0].handlingPriority"] },
        { "display", new ControlResponse { SchemaVersion = V, Ok = true, Params = Params, Status = Status, Events = Events }, ["params.cluster.name", "status.state", "events[0].time", "events[0].id", "events[0].name", "events[0].level", "events[0].text"] },
        { "owner", new ControlResponse { SchemaVersion = V, Ok = true, Owner = Owner() }, ["owner.client", "owner.clientPort", "owner.vip", "owner.port", "owner.protocol", "owner.rule", "owner.bucket", "owner.hash", "owner.owner", "owner.epoch", "owner.members[0]", "owner.reason", "owner.thisHost.role", "owner.thisHost.connection", "owner.why[0]"] },
        { "ip2mac", new ControlResponse { SchemaVersion = V, Ok = true, Mac = MacReport.Of(IPAddress.Parse("10.0.0.10")).Report }, ["mac.vip", "mac.unicast", "mac.multicast"] },
        { "error", ControlResponse.Failed("unknown command 'x'"), ["schemaVersion", "ok", "error"] },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public void Answer_RoundTripsThroughJson_WithTheDocumentedFields(string kind, ControlResponse response, string[] fields)
    {
        var json = JsonSerializer.Serialize(response, ControlJsonContext.Default.ControlResponse);
        var back = JsonSerializer.Deserialize(json, ControlJsonContext.Default.ControlResponse)!;

        Assert.Equal(json, JsonSerializer.Serialize(back, ControlJsonContext.Default.ControlResponse));
        Assert.Equal(V, back.SchemaVersion);
        var node = JsonNode.Parse(json)!;
        foreach (var field in fields)
        {
            Assert.True(Find(node, field) is not null, $"{kind}: no '{field}' in {json}");
        }
    }

    [Fact]
    public void AbsentFields_AreLeftOut_NotWrittenAsNull()
    {
        var json = JsonSerializer.Serialize(ControlResponse.Failed("x"), ControlJsonContext.Default.ControlResponse);
        Assert.Equal("""{"schemaVersion":1,"ok":false,"error":"x"}""", json);
    }

    [Fact]
    public void NullsThatMeanSomething_AreWritten()
    {
        // No owner, equal load weight, no conntrack entry: a script reads null, not a missing key.
        var owner = new OwnerReport { Client = "198.51.100.7", Vip = "10.0.0.99", Port = 80, Protocol = "tcp", Reason = "r", ThisHost = new LocalVerdict(1, "converged", "none", null, false, false, false, null) };
        var json = JsonSerializer.Serialize(new ControlResponse { Ok = true, Owner = owner, Params = Params }, ControlJsonContext.Default.ControlResponse);
        Assert.Contains("\"owner\":null", json, StringComparison.Ordinal);
        Assert.Contains("\"connection\":null", json, StringComparison.Ordinal);
        Assert.Contains("{\"rule\":\"web-101\",\"loadWeight\":null,\"handlingPriority\":2}", json, StringComparison.Ordinal);
    }

    [Fact]
    public void OwnerAnswer_SurvivesTheRoundTripFieldByField()
    {
        var owner = Owner();
        var json = JsonSerializer.Serialize(new ControlResponse { Ok = true, Owner = owner }, ControlJsonContext.Default.ControlResponse);
        var back = JsonSerializer.Deserialize(json, ControlJsonContext.Default.ControlResponse)!.Owner!;

        Assert.Equal(owner.Why, back.Why);
        Assert.Equal(owner.Members, back.Members);
        Assert.Equal(owner.ThisHost, back.ThisHost);
        Assert.Equal(owner with { Why = back.Why, Members = back.Members }, back);
    }

    [Fact]
    public void Request_RoundTrips()
    {
        var request = new ControlRequest { Command = "owner", Client = "198.51.100.7:1", Vip = "10.0.0.10", Port = 80, Protocol = "udp" };
        var json = JsonSerializer.Serialize(request, ControlJsonContext.Default.ControlRequest);
        Assert.Equal("""{"command":"owner","client":"198.51.100.7:1","vip":"10.0.0.10","port":80,"protocol":"udp"}""", json);
        Assert.Equal(request, JsonSerializer.Deserialize(json, ControlJsonContext.Default.ControlRequest));
    }

    /// <summary>"a.b[0].c": the node at that path, or null.</summary>
    private static JsonNode? Find(JsonNode node, string path)
    {
        JsonNode? current = node;
        foreach (var part in path.Split('.'))
        {
            var name = part;
            int? index = null;
            if (part.EndsWith(']'))
            {
                var open = part.IndexOf('[', StringComparison.Ordinal);
                index = int.Parse(part[(open + 1)..^1], System.Globalization.CultureInfo.InvariantCulture);
                name = part[..open];
            }

            current = current is JsonObject o && o.TryGetPropertyValue(name, out var child) ? child : null;
            if (index is { } i)
            {
                current = current is JsonArray a && i < a.Count ? a[i] : null;
            }

            if (current is null)
            {
                return null;
            }
        }

        return current;
    }
}
