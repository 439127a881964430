using System.Diagnostics;
using System.Text.Json;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Control;
using OpenNlb.Core.Status;
using OpenNlb.Linux.Processes;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.Packaging;

/// <summary>
/// The installed nlbd, run from the clean root as its unit runs it, on two hosts configured the
/// way docs/service.md tells an operator to (the shipped examples, a key made with the documented
/// command): it tells the service manager READY=1 only when `nlb query` gets an answer, keeps the
/// watchdog fed, forms a cluster with the other host, and on SIGTERM says STOPPING=1, leaves the
/// cluster, and removes its table, VIP and MAC before it exits 0.
/// </summary>
[Collection(InstalledPackageCollection.Name)]
public sealed class InstalledDaemonTests(InstalledPackageFixture package)
{
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Watchdog = TimeSpan.FromSeconds(2);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task InstalledNlbd_RunAsTheUnitRunsIt_IsReadyServesAndStopsCleanly()
    {
        package.Require();
        var output = TestContext.Current.TestOutputHelper;
        await using var root = await ChrootCopy.CreateAsync(package.Root!.Root, Ct);
        var unit = UnitFile.Parse(await File.ReadAllTextAsync(root.HostPath("/lib/systemd/system/nlbd.service"), Ct));
        Assert.Equal("notify", unit["Type"]);

        // As docs/service.md says: the example becomes the configuration, the key is made.
        File.Copy(root.HostPath("/etc/opennlb/nlbd.yaml.example"), root.HostPath("/etc/opennlb/nlbd.yaml"));
        File.Copy(root.HostPath("/usr/share/doc/opennlb/examples/host2.yaml"), root.HostPath("/etc/opennlb/host2.yaml"));
        await root.RunCheckedAsync(["sh", "-c", "(umask 077; head -c 32 /dev/urandom | base64 > /etc/opennlb/cluster.key)"], Quick, Ct);
        var first = Config(root, "/etc/opennlb/nlbd.yaml");
        var second = Config(root, "/etc/opennlb/host2.yaml");
        var vip = first.Cluster.Vips[0].ToString();

        await using var pair = await VethPair.CreateAsync(first.Host.DedicatedIp.ToString(), second.Host.DedicatedIp.ToString(), Ct);
        var ownMac = await VethPair.ShowAsync(pair.First, Ct);
        var runtime = "/run/" + unit["RuntimeDirectory"];
        var argv = unit.ExecStart;
        Assert.Equal(["/usr/sbin/nlbd", "--config", "/etc/opennlb/nlbd.yaml"], argv);
        string[] secondArgv = ["/usr/sbin/nlbd", "--config", "/etc/opennlb/host2.yaml", "--runtime-dir", "/run/opennlb-h2"];

        await using var h1 = InstalledHost.Start(root, unit, pair.First, runtime, "/run/onlb-test-notify-1", Watchdog, argv);
        await using var h2 = InstalledHost.Start(root, unit, pair.Second, "/run/opennlb-h2", "/run/onlb-test-notify-2", Watchdog, secondArgv);
        var started = Stopwatch.StartNew();
        await ReadyAsync(h1, "h1");
        output?.WriteLine($"h1 READY=1 {started.Elapsed.TotalSeconds:0.0} s after start");

        // READY=1 promises a ruleset in the kernel, the VIP up and the control socket listening.
        Assert.Contains("host 1", await root.RunCheckedAsync(["nlb", "query"], Quick, Ct), StringComparison.Ordinal);
        Assert.Contains("table ip opennlb", await Nft(pair.First), StringComparison.Ordinal);
        Assert.Contains(vip + "/32", await VethPair.ShowAsync(pair.First, Ct), StringComparison.Ordinal);
        Assert.Contains(h1.Notify.Received, d => d.StartsWith("READY=1\nSTATUS=host 1 of cluster", StringComparison.Ordinal));

        await ReadyAsync(h2, "h2");
        await UntilAsync(root, "/run/opennlb/nlbd.sock", s => s.LiveHosts.SequenceEqual([1, 2]) && s.State.StartsWith("converged", StringComparison.Ordinal), "h1 sees h1 and h2, converged", h1);
        await UntilAsync(root, "/run/opennlb-h2/nlbd.sock", s => s.LiveHosts.SequenceEqual([1, 2]) && s.State.StartsWith("converged", StringComparison.Ordinal), "h2 sees h1 and h2, converged", h2);
        Assert.True(await h1.Notify.WaitForAsync("WATCHDOG=1", Watchdog * 2, Ct), $"no WATCHDOG=1 within {Watchdog * 2}: {string.Join(" | ", h1.Notify.Received)}");

        // systemctl stop: SIGTERM to nlbd, SIGKILL after TimeoutStopSec.
        var stopTimeout = TimeSpan.FromSeconds(int.Parse(unit["TimeoutStopSec"], System.Globalization.CultureInfo.InvariantCulture));
        var stopping = Stopwatch.StartNew();
        await h1.TerminateAsync();
        Assert.True(await h1.Notify.WaitForAsync("STOPPING=1", stopTimeout, Ct), $"no STOPPING=1 after SIGTERM: {string.Join(" | ", h1.Notify.Received)}\n{h1.Output}");
        Assert.True(await h1.WaitForExitAsync(stopTimeout, Ct), $"nlbd still runs {stopTimeout} after SIGTERM (TimeoutStopSec): systemd would kill it\n{h1.Output}");
        output?.WriteLine($"h1 stopped {stopping.Elapsed.TotalSeconds:0.0} s after SIGTERM (TimeoutStopSec={stopTimeout.TotalSeconds})");
        Assert.True(h1.ExitCode == 0, $"nlbd exited {h1.ExitCode} after SIGTERM\n{h1.Output}");

        // Nothing of OpenNLB is left on h1: no table, no VIP, its own MAC back.
        Assert.DoesNotContain("opennlb", await Nft(pair.First), StringComparison.Ordinal);
        Assert.Equal(ownMac, await VethPair.ShowAsync(pair.First, Ct));

        // It left the cluster: h2 has taken over alone.
        await UntilAsync(root, "/run/opennlb-h2/nlbd.sock", s => s.LiveHosts.SequenceEqual([2]), "h2 alone after h1 stopped", h2);
        await h2.TerminateAsync();
        Assert.True(await h2.WaitForExitAsync(stopTimeout, Ct) && h2.ExitCode == 0, $"h2: exit {h2.ExitCode}\n{h2.Output}");
        Assert.True(await h2.Notify.WaitForAsync("STOPPING=1", TimeSpan.FromSeconds(1), Ct));
    }

    private static NlbConfig Config(ChrootCopy root, string path)
    {
        var result = ConfigLoader.Parse(File.ReadAllText(root.HostPath(path)));
        Assert.True(result.Config is not null, $"{path}: {string.Join("; ", result.Errors)}");
        Assert.Equal("eth0", result.Config.Host.Interface);
        return result.Config;
    }

    private static async Task ReadyAsync(InstalledHost host, string name)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60) && host.ExitCode is null)
        {
            if (await host.Notify.WaitForAsync("READY=1", TimeSpan.FromMilliseconds(200), Ct))
            {
                return;
            }
        }

        Assert.Fail($"{name}: no READY=1 (exit code {host.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none, still running"})\n{host.Output}");
    }

    /// <summary>Polls `nlb query --json` (the installed nlb) until the status satisfies <paramref name="condition"/>, for at most 30 s.</summary>
    private static async Task UntilAsync(ChrootCopy root, string socket, Func<HostStatus, bool> condition, string what, InstalledHost host)
    {
        var deadline = Stopwatch.StartNew();
        var last = "";
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            var answer = await root.RunAsync(["nlb", "query", "--socket", socket, "--json"], Quick, Ct);
            last = answer.StandardOutput + answer.StandardError;
            if (answer.ExitCode == 0 && JsonSerializer.Deserialize(answer.StandardOutput, ControlJsonContext.Default.ControlResponse)?.Status is { } status && condition(status))
            {
                return;
            }

            await Task.Delay(200, Ct);
        }

        Assert.Fail($"not within 30 s: {what}; last answer: {last}\n{host.Output}");
    }

    private static async Task<string> Nft(string ns) =>
        // `nft list tables` spins for minutes in a namespace where nlbd runs (nft 1.0.6); the terse ruleset does not.
        (await CommandRunner.RunCheckedAsync("ip", ["netns", "exec", ns, "nft", "-t", "list", "ruleset"], Quick, cancellationToken: Ct)).StandardOutput;
}
