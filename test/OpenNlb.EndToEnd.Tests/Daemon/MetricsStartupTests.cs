using System.Net;
using System.Net.Sockets;
using OpenNlb.Core.Configuration;
using OpenNlb.EndToEnd.Tests.Support;
using OpenNlb.Lab;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.Daemon;

/// <summary>A metrics port that is taken stops nlbd at start, with the reason, before it changes anything.</summary>
public sealed class MetricsStartupTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MetricsPortInUse_NlbdExitsSayingSo_AndHasTouchedNothing()
    {
        Requires.RootAndTools("nft");
        await using var ns = await TestNamespace.CreateAsync("tmp");
        await ns.ExecCheckedAsync("ip", "addr", "add", "192.0.2.11/24", "dev", "eth0");
        using var squatter = await ns.RunInsideAsync(() =>
        {
            var listener = new TcpListener(IPAddress.Loopback, MetricsConfig.DefaultPort);
            listener.Start();
            return listener.Server;
        });
        var dir = Directory.CreateTempSubdirectory("onlb-tmp");
        try
        {
            var config = Path.Combine(dir.FullName, "host.yaml");
            await File.WriteAllTextAsync(config, NlbdConfigWriter.Write("tmp", OperationMode.Unicast, 1, NlbdConfigWriter.NewKey()), Ct);

            var run = await ns.ExecAsync(ToolLocator.FindNlbd(null), "--config", config, "--runtime-dir", dir.FullName, "--control-socket", Path.Combine(dir.FullName, "s.sock"));
            output.WriteLine(run.StandardOutput + run.StandardError);

            Assert.Equal(1, run.ExitCode);
            Assert.Contains("nlbd[1502] host.metrics.listen: cannot listen on 127.0.0.1:9747: Address already in use; nothing was changed", run.StandardOutput, StringComparison.Ordinal);
            Assert.DoesNotContain("opennlb", await ns.ExecCheckedAsync("nft", "list", "tables"), StringComparison.Ordinal);
            Assert.DoesNotContain("192.0.2.100", await ns.ExecCheckedAsync("ip", "addr", "show", "eth0"), StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
