using System.Diagnostics;
using System.Text.RegularExpressions;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Status;
using OpenNlb.EndToEnd.Tests.Support;
using OpenNlb.Lab;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.Daemon;

/// <summary>
/// nlbd's log lines: one per event with its event id, and systemd's priority prefix when its
/// standard output is the journal stream systemd names in JOURNAL_STREAM. Without systemd here,
/// socat gives nlbd a socket as standard output, as systemd does, and the test sets JOURNAL_STREAM
/// to that socket's device and inode, or to another's.
/// </summary>
public sealed partial class JournalLogTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task StdoutIsTheJournalStream_LinesCarryASyslogPriorityAndTheEventId()
    {
        Requires.RootAndTools("nft", "socat", "stat");
        var lines = await RunNlbdAsync("tmj", "$(stat -L -c %d:%i /proc/$$/fd/1)");

        Assert.All(lines, l => Assert.Matches(JournalLine(), l));
        Assert.Contains(lines, l => l.StartsWith("<6>nlbd[1000] nlbd starting: host 1 of cluster 'tmj'", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("<6>nlbd[1500] metrics at http://127.0.0.1:9747/metrics", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("<6>nlbd[1200] converged: members [1]", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("<6>nlbd[1001] nlbd stopped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task JournalStreamOfAnotherSocket_KeepsTheConsoleFormat()
    {
        Requires.RootAndTools("nft", "socat", "stat");
        var lines = await RunNlbdAsync("tmk", "0:1");

        Assert.All(lines, l => Assert.Matches(ConsoleLine(), l));
        Assert.Contains(lines, l => l.Contains(" info: nlbd[1000] nlbd starting", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(" info: nlbd[1001] nlbd stopped", StringComparison.Ordinal));
    }

    /// <summary>Runs one nlbd alone in a namespace until it has converged, stops it with SIGTERM, and returns what it printed.</summary>
    private async Task<List<string>> RunNlbdAsync(string cluster, string journalStream)
    {
        await using var ns = await TestNamespace.CreateAsync(cluster);
        await ns.ExecCheckedAsync("ip", "addr", "add", "192.0.2.11/24", "dev", "eth0");
        var dir = Directory.CreateTempSubdirectory("onlb-" + cluster);
        try
        {
            var config = Path.Combine(dir.FullName, "host.yaml");
            var state = Path.Combine(dir.FullName, "state.json");
            await File.WriteAllTextAsync(config, NlbdConfigWriter.Write(cluster, OperationMode.Unicast, 1, NlbdConfigWriter.NewKey()), Ct);
            var script = Path.Combine(dir.FullName, "run.sh");
            await File.WriteAllTextAsync(
                script,
                $"export JOURNAL_STREAM={journalStream}\nexec ip netns exec {ns.Name} {ToolLocator.FindNlbd(null)} --config {config} --state-file {state} --runtime-dir {dir.FullName} --control-socket {dir.FullName}/nlbd.sock\n",
                Ct);

            // socat gives its child a socketpair as standard output, and copies it to ours.
            var start = new ProcessStartInfo("socat") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "-u", $"EXEC:sh {script}", "STDOUT" })
            {
                start.ArgumentList.Add(a);
            }

            using var socat = Process.Start(start)!;
            var stdout = socat.StandardOutput.ReadToEndAsync(Ct);
            var stderr = socat.StandardError.ReadToEndAsync(Ct);
            try
            {
                var status = await ConvergedAsync(state);
                Assert.Equal(0, (await CommandRunnerKill(status.ProcessId)).ExitCode);
                await socat.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(20), Ct);
            }
            finally
            {
                if (!socat.HasExited)
                {
                    socat.Kill(entireProcessTree: true);
                }
            }

            var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
            output.WriteLine(string.Join('\n', lines));
            output.WriteLine(await stderr);
            return lines;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static async Task<HostStatus> ConvergedAsync(string stateFile)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (HostStatusReader.Read(stateFile) is { State: "converged-default" } status)
            {
                return status;
            }

            await Task.Delay(100, Ct);
        }

        throw new TimeoutException($"nlbd did not converge within 30 s; state file {stateFile}");
    }

    private static Task<Linux.Processes.CommandResult> CommandRunnerKill(int pid) =>
        Linux.Processes.CommandRunner.RunAsync("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));

    // <priority>nlbd[event id] message: what SystemdConsoleFormatter writes, one line per event.
    [GeneratedRegex(@"^<[0-7]>nlbd\[\d+\] \S")]
    private static partial Regex JournalLine();

    // HH:mm:ss.fff level: nlbd[event id] message.
    [GeneratedRegex(@"^\d\d:\d\d:\d\d\.\d{3} (trce|dbug|info|warn|fail|crit): nlbd\[\d+\] \S")]
    private static partial Regex ConsoleLine();
}
