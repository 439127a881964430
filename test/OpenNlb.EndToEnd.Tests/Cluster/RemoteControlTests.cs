using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Control;
using OpenNlb.Core.Membership;
using OpenNlb.EndToEnd.Tests.Support;
using OpenNlb.Lab;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.Cluster;

public sealed class RemoteControlLab() : LabFixture("trc", OperationMode.Unicast);

/// <summary>
/// Commands for another host or every host travel over the cluster network, authenticated, and a
/// host runs them only if its configuration allows it; reload applies a new file or changes
/// nothing. Real nlbd processes, their control sockets, and datagrams sent from a client.
/// </summary>
[Collection("lab")]
public sealed class RemoteControlTests(RemoteControlLab fixture) : IClassFixture<RemoteControlLab>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private LabHandle Lab => fixture.Lab ?? throw new InvalidOperationException("no lab");

    [Fact]
    public async Task ClusterQuery_IsAnsweredByEveryHost()
    {
        Requires.RootAndTools("nft");
        using var answer = await SendAsync(1, """{"command":"query","cluster":true}""");

        Assert.True(answer.RootElement.GetProperty("ok").GetBoolean(), answer.RootElement.ToString());
        var hosts = answer.RootElement.GetProperty("hosts").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3], hosts.Select(h => h.GetProperty("host").GetInt32()));
        Assert.All(hosts, h => Assert.StartsWith("members [1 2 3]", h.GetProperty("message").GetString(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task NodeCommand_RunsOnThatHostOnly_AndIsRefusedOnceItsConfigurationTurnsRemoteControlOff()
    {
        Requires.RootAndTools("nft");
        using (var drained = await SendAsync(1, """{"command":"drain","rule":"web","node":3}"""))
        {
            Assert.True(drained.RootElement.GetProperty("ok").GetBoolean(), drained.RootElement.ToString());
        }

        Assert.Equal("draining", await RuleAsync(3, "web", "state"));
        Assert.Equal("enabled", await RuleAsync(2, "web", "state"));
        using (var enabled = await SendAsync(1, """{"command":"enable","rule":"web","node":3}"""))
        {
            Assert.True(enabled.RootElement.GetProperty("ok").GetBoolean(), enabled.RootElement.ToString());
        }

        var path = Lab.Paths.Config(2);
        var original = await File.ReadAllTextAsync(path, Ct);
        try
        {
            await File.WriteAllTextAsync(path, original.Replace("remoteControl: true", "remoteControl: false", StringComparison.Ordinal), Ct);
            using (var reload = await SendAsync(2, """{"command":"reload"}"""))
            {
                Assert.True(reload.RootElement.GetProperty("ok").GetBoolean(), reload.RootElement.ToString());
            }

            using var refused = await SendAsync(1, """{"command":"stop","node":2}""");
            Assert.False(refused.RootElement.GetProperty("ok").GetBoolean());
            Assert.Contains("remote control is off on host 2", refused.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
            Assert.Equal("started", await StateAsync(2));
        }
        finally
        {
            await File.WriteAllTextAsync(path, original, Ct);
            using var restored = await SendAsync(2, """{"command":"reload"}""");
        }
    }

    [Fact]
    public async Task Reload_OfAnInvalidFile_NamesEveryError_AndKeepsTheRunningConfiguration_AValidOneApplies()
    {
        Requires.RootAndTools("nft");
        var path = Lab.Paths.Config(3);
        var original = await File.ReadAllTextAsync(path, Ct);
        try
        {
            var broken = original
                .Replace("initialState: started", "initialState: sleeping", StringComparison.Ordinal)
                .Replace("remoteControl: true", "remoteControl: maybe", StringComparison.Ordinal);
            await File.WriteAllTextAsync(path, broken, Ct);
            using (var refused = await SendAsync(3, """{"command":"reload"}"""))
            {
                Assert.False(refused.RootElement.GetProperty("ok").GetBoolean());
                var error = refused.RootElement.GetProperty("error").GetString()!;
                Assert.Contains("2 error(s), nothing changed", error, StringComparison.Ordinal);
                Assert.Contains("host.initialState", error, StringComparison.Ordinal);
                Assert.Contains("host.remoteControl", error, StringComparison.Ordinal);
            }

            var weighted = original.Replace("remoteControl: true", "remoteControl: true\n  portRules:\n    web:\n      loadWeight: 80", StringComparison.Ordinal);
            Assert.NotEqual(original, weighted);
            await File.WriteAllTextAsync(path, weighted, Ct);
            using (var applied = await SendAsync(3, """{"command":"reload"}"""))
            {
                Assert.True(applied.RootElement.GetProperty("ok").GetBoolean(), applied.RootElement.ToString());
                Assert.Contains("host.portRules.web.loadWeight: equal -> 80", applied.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
            }

            Assert.Equal("80", await RuleAsync(3, "web", "loadWeight"));
            await LabConvergence.WaitAsync(Lab, [1, 2, 3], TimeSpan.FromSeconds(15), Ct);
        }
        finally
        {
            await File.WriteAllTextAsync(path, original, Ct);
            using var restored = await SendAsync(3, """{"command":"reload"}""");
        }
    }

    [Fact]
    public async Task ForgedAndStaleRemoteRequests_StopNobody()
    {
        Requires.RootAndTools("nft");
        var key = NlbdConfigWriter.KeyOf(Lab.Paths, [1]);
        var cluster = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(
            System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes("opennlb-cluster-id:trc")));
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var forged = new RemoteRequest(cluster, 1, 1, 1, 1, 0, RemoteCommandKind.Stop, null, null, now);
        var stale = forged with { Incarnation = 2, IssuedUnixMs = now - 3_600_000 };

        using var socket = Lab.OpenSocket("c1", SocketType.Dgram, ProtocolType.Udp);
        socket.EnableBroadcast = true;
        var target = new IPEndPoint(IPAddress.Parse("192.0.2.255"), HeartbeatConfig.DefaultPort);
        await socket.SendToAsync(RemoteCodec.Encode(forged, new ClusterKey(new byte[32])), target, Ct);
        await socket.SendToAsync(RemoteCodec.Encode(stale, key), target, Ct);
        await Task.Delay(TimeSpan.FromMilliseconds(500), Ct);

        foreach (var host in new[] { 1, 2, 3 })
        {
            var status = await StatusAsync(host);
            var counters = status.GetProperty("counters");
            Assert.Equal("started", await StateAsync(host));
            Assert.True(Counter(counters, "datagrams_rejected_forged") >= 1, $"h{host}: {counters}");
            Assert.True(Counter(counters, "remote_requests_refused") >= 1, $"h{host}: {counters}");
        }
    }

    private async Task<JsonDocument> SendAsync(int host, string json) => JsonDocument.Parse(await Lab.ControlAsync(host, json, Ct));

    private static long Counter(JsonElement counters, string name) =>
        counters.TryGetProperty(name, out var value) ? value.GetInt64() : 0;

    /// <summary>The host's status now, from its control socket (the state file lags by up to a second).</summary>
    private async Task<JsonElement> StatusAsync(int host)
    {
        using var answer = await SendAsync(host, """{"command":"query"}""");
        return answer.RootElement.GetProperty("status").Clone();
    }

    /// <summary>Started (converging or converged), or what else the host is: the refused command must not have stopped it.</summary>
    private async Task<string> StateAsync(int host) =>
        (await StatusAsync(host)).GetProperty("state").GetString() is "converging" or "converged" or "converged-default" ? "started" : "not started";

    private async Task<string> RuleAsync(int host, string rule, string field) =>
        (await StatusAsync(host)).GetProperty("rules").EnumerateArray()
            .Single(r => r.GetProperty("name").GetString() == rule).GetProperty(field).ToString();
}
