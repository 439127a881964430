using System.Diagnostics;
using System.Globalization;
using System.Text;
using OpenNlb.Linux.Processes;

namespace OpenNlb.EndToEnd.Tests.Packaging;

/// <summary>
/// A root file system booted with systemd as its init by systemd-nspawn, inside a network
/// namespace of the test (its eth0, and a /sys that shows it): the unit runs under a real service manager, with its hardening, its
/// readiness protocol and its stop. The machine needs no systemd of its own (--register=no,
/// --keep-unit). Disposing powers the container off, or kills its init (and so every process in
/// its PID namespace) when that does not work.
/// </summary>
internal sealed class BootedContainer : IAsyncDisposable
{
    private readonly Process _nspawn;
    private readonly string _cgroups;
    private readonly StringBuilder _console = new();

    // nspawn shows a container the /sys it finds, and the machine's /sys is the machine's network:
    // nlbd would read another interface's MAC there. So nspawn starts in a mount namespace of its
    // own, in the test's network namespace, with a sysfs of that network on /sys and the machine's
    // cgroup trees bound back under it (nspawn needs them). $1: a directory to hold the cgroup
    // trees meanwhile; $2: the network namespace; the rest: systemd-nspawn's arguments.
    private const string Launcher = """
        set -e
        cgroups=$1; ns=$2; shift 2
        mount --rbind /sys/fs/cgroup "$cgroups"
        exec nsenter --net="/run/netns/$ns" sh -c 'mount -t sysfs sysfs /sys && mount --rbind "$0" /sys/fs/cgroup && exec systemd-nspawn "$@"' "$cgroups" "$@"
        """;

    private BootedContainer(Process nspawn, string cgroups) => (_nspawn, _cgroups) = (nspawn, cgroups);

    /// <summary>The container's init (systemd), as this machine numbers it.</summary>
    public int Leader { get; private set; }

    public string Console
    {
        get
        {
            lock (_console)
            {
                return _console.ToString();
            }
        }
    }

    /// <summary>
    /// Boots <paramref name="root"/> in network namespace <paramref name="netns"/>. nspawn keeps
    /// CAP_NET_ADMIN from a container by default; a host's systemd has it, so it is given back.
    /// Throws <see cref="ContainerBootException"/> when systemd does not come up here.
    /// </summary>
    public static async Task<BootedContainer> BootAsync(string root, string netns, CancellationToken ct)
    {
        var cgroups = $"/run/onlb-tp-cgroup-{Guid.NewGuid().ToString("n")[..8]}";
        Directory.CreateDirectory(cgroups);
        var start = new ProcessStartInfo("unshare") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[]
        {
            "-m", "--propagation", "private", "sh", "-c", Launcher, "sh", cgroups, netns,
            "--directory", root, "--boot", "--register=no", "--keep-unit", "--capability=CAP_NET_ADMIN",
            $"--network-namespace-path=/run/netns/{netns}", "--console=pipe", "--machine", "onlbtp" + Guid.NewGuid().ToString("n")[..8],
        })
        {
            start.ArgumentList.Add(argument);
        }

        var container = new BootedContainer(new Process { StartInfo = start }, cgroups);
        container._nspawn.OutputDataReceived += (_, e) => container.Append(e.Data);
        container._nspawn.ErrorDataReceived += (_, e) => container.Append(e.Data);
        container._nspawn.Start();
        container._nspawn.BeginOutputReadLine();
        container._nspawn.BeginErrorReadLine();
        try
        {
            await container.WaitForBootAsync(ct);
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }

        return container;
    }

    /// <summary>Runs a command in the container (all its namespaces) with a clean environment.</summary>
    public Task<CommandResult> ExecAsync(IReadOnlyList<string> argv, TimeSpan timeout, CancellationToken ct) =>
        CommandRunner.RunAsync("nsenter", ["-t", Leader.ToString(CultureInfo.InvariantCulture), "-a", "env", "-i", "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8", .. argv], timeout, cancellationToken: ct);

    public async Task<string> ExecCheckedAsync(IReadOnlyList<string> argv, TimeSpan timeout, CancellationToken ct)
    {
        var result = await ExecAsync(argv, timeout, ct);
        return result.ExitCode == 0
            ? result.StandardOutput
            : throw new InvalidOperationException($"in the container, `{string.Join(' ', argv)}` exited {result.ExitCode}:\n{result.StandardOutput}{result.StandardError}");
    }

    /// <summary>`systemctl show` of one unit, as a dictionary.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ShowAsync(string unit, CancellationToken ct) =>
        (await ExecCheckedAsync(["systemctl", "show", unit], TimeSpan.FromSeconds(30), ct))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2))
            .Where(p => p.Length == 2)
            .GroupBy(p => p[0], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First()[1], StringComparer.Ordinal);

    public async ValueTask DisposeAsync()
    {
        if (!_nspawn.HasExited && Leader != 0)
        {
            _ = await ExecAsync(["systemctl", "poweroff"], TimeSpan.FromSeconds(30), CancellationToken.None);
            if (await ExitedAsync(TimeSpan.FromSeconds(30)))
            {
                Release();
                return;
            }

            // The init of a PID namespace takes every process of it along when it dies.
            _ = await CommandRunner.RunAsync("kill", ["-KILL", Leader.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5));
        }

        if (!_nspawn.HasExited)
        {
            _ = await CommandRunner.RunAsync("kill", ["-KILL", _nspawn.Id.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5));
            await ExitedAsync(TimeSpan.FromSeconds(10));
        }

        Release();
    }

    // The cgroup trees were bound in nspawn's own mount namespace, gone with it: the directory is empty again.
    private void Release()
    {
        _nspawn.Dispose();
        try
        {
            Directory.Delete(_cgroups);
        }
        catch (IOException)
        {
        }
    }

    private async Task WaitForBootAsync(CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        while (Leader == 0)
        {
            if (_nspawn.HasExited || watch.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new ContainerBootException($"systemd-nspawn did not start a container here (exit code {(_nspawn.HasExited ? _nspawn.ExitCode : "none")}): {Console.Trim()}");
            }

            // The launcher execs its way to nspawn, whose child becomes the container's systemd.
            if (Comm(_nspawn.Id) == "systemd-nspawn"
                && File.Exists($"/proc/{_nspawn.Id}/task/{_nspawn.Id}/children")
                && (await File.ReadAllTextAsync($"/proc/{_nspawn.Id}/task/{_nspawn.Id}/children", ct)).Split(' ', StringSplitOptions.RemoveEmptyEntries)
                    .Select(c => int.Parse(c, CultureInfo.InvariantCulture)).FirstOrDefault(c => Comm(c) == "systemd") is var leader and > 0)
            {
                Leader = leader;
            }
            else
            {
                await Task.Delay(100, ct);
            }
        }

        // --wait returns when the boot is over: running, or degraded when some unit failed. Until
        // systemd has opened its socket, systemctl cannot connect at all: ask again.
        var text = "";
        while (watch.Elapsed < TimeSpan.FromSeconds(120))
        {
            var state = await ExecAsync(["systemctl", "is-system-running", "--wait"], TimeSpan.FromSeconds(120), ct);
            text = $"{state.StandardOutput.Trim()} {state.StandardError.Trim()}".Trim();
            if (state.StandardOutput.Trim() is "running" or "degraded")
            {
                return;
            }

            if (_nspawn.HasExited)
            {
                break;
            }

            await Task.Delay(250, ct);
        }

        throw new ContainerBootException($"systemd did not finish booting in systemd-nspawn here ({text}): {Console.Trim()}");
    }

    private static string? Comm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    private async Task<bool> ExitedAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _nspawn.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_console)
            {
                _console.AppendLine(line);
            }
        }
    }
}
