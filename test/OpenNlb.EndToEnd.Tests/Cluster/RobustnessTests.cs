using System.Net;
using System.Net.Sockets;
using OpenNlb.Core.Configuration;
using OpenNlb.EndToEnd.Tests.Support;
using OpenNlb.Lab;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.Cluster;

/// <summary>Bad input leaves a running cluster as it was; a stopped daemon leaves nothing behind.</summary>
[Collection("lab")]
public sealed class RobustnessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GarbageAndForgedHeartbeats_ChangeNothing()
    {
        Requires.RootAndTools("nft");
        await Labs.DownAsync("tcr", Ct);
        await using var lab = await Labs.UpAsync(new LabOptions { Name = "tcr", Hosts = 2, Clients = 1 }, Ct);
        await LabConvergence.WaitAsync(lab, [1, 2], TimeSpan.FromSeconds(15), Ct);
        var before = lab.ReadStatus(1)!.Convergences;

        // From a client on the cluster network: random bytes, a truncated header, a valid-looking
        // heartbeat of host 7 with a wrong version, and oversized datagrams, to the heartbeat port.
        using var socket = lab.OpenSocket("c1", SocketType.Dgram, ProtocolType.Udp);
        socket.EnableBroadcast = true;
        var target = new IPEndPoint(IPAddress.Parse("192.0.2.255"), HeartbeatConfig.DefaultPort);
        var random = new Random(7);
        for (var i = 0; i < 2000; i++)
        {
            var datagram = new byte[random.Next(0, 1200)];
            random.NextBytes(datagram);
            if (i % 3 == 0 && datagram.Length >= 8)
            {
                "ONLB"u8.CopyTo(datagram);
                datagram[4] = (byte)(i % 5 == 0 ? 1 : 9);
                datagram[5] = 1;
            }

            await socket.SendToAsync(datagram, target, Ct);
        }

        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        foreach (var host in new[] { 1, 2 })
        {
            var status = lab.ReadStatus(host)!;
            Assert.Equal([1, 2], status.LiveHosts);
            Assert.True(lab.IsNlbdRunning(host));
        }

        Assert.Equal(before, lab.ReadStatus(1)!.Convergences);
        Assert.Matches("^h[12]$", await lab.HttpGetAsync("c1", lab.Vip, cancellationToken: Ct));
    }

    [Fact]
    public async Task InvalidConfiguration_ExitsNonZero_NamingEveryError_AndTouchesNothing()
    {
        Requires.RootAndTools("nft");
        await Labs.DownAsync("tci", Ct);
        await using var lab = await Labs.UpAsync(new LabOptions { Name = "tci", Hosts = 1, Clients = 1, NoNlbd = true }, Ct);
        var bad = Path.Combine(lab.Paths.Directory, "bad.yaml");
        await File.WriteAllTextAsync(bad, """
            cluster:
              name: tci
              vips: [192.0.2.100]
              portRules:
                - { name: web, ports: 80-70, protocol: tcp }
            host:
              priority: 65
              interface: eth0
              dedicatedIp: 192.0.2.11/24
            """, Ct);

        var run = await lab.ExecAsync("h1", [ToolLocator.FindNlbd(null), "--config", bad], TimeSpan.FromSeconds(20), Ct);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("cluster.portRules[0].ports", run.StandardError, StringComparison.Ordinal);
        Assert.Contains("host.priority", run.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain("opennlb", (await lab.ExecAsync("h1", ["nft", "list", "tables"], TimeSpan.FromSeconds(5), Ct)).StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("192.0.2.100", (await lab.ExecAsync("h1", ["ip", "addr"], TimeSpan.FromSeconds(5), Ct)).StandardOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(OperationMode.Unicast)]
    [InlineData(OperationMode.Multicast)]
    public async Task StoppingNlbd_RemovesEverythingItAdded(OperationMode mode)
    {
        Requires.RootAndTools("nft");
        await Labs.DownAsync("tcs", Ct);
        await using var lab = await Labs.UpAsync(new LabOptions { Name = "tcs", Hosts = 1, Clients = 1, Mode = mode }, Ct);
        await LabConvergence.WaitAsync(lab, [1], TimeSpan.FromSeconds(15), Ct);
        var originalMac = lab.Host(1).Mac!;

        Assert.Equal(0, await lab.KillNlbdAsync(1, Signal.SIGTERM, TimeSpan.FromSeconds(10)));

        string Run(params string[] argv) => lab.ExecAsync("h1", argv, TimeSpan.FromSeconds(5), Ct).GetAwaiter().GetResult().StandardOutput;
        Assert.DoesNotContain("opennlb", Run("nft", "list", "tables"), StringComparison.Ordinal);
        var link = Run("ip", "-o", "link", "show", "eth0");
        Assert.Contains(originalMac, link, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("192.0.2.100", Run("ip", "addr", "show", "eth0"), StringComparison.Ordinal);
        Assert.DoesNotContain("03:bf", Run("ip", "maddr", "show", "dev", "eth0"), StringComparison.Ordinal);
    }
}
