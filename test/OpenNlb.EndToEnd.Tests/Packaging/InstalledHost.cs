using System.Diagnostics;
using System.Text;
using OpenNlb.Linux.Processes;

namespace OpenNlb.EndToEnd.Tests.Packaging;

/// <summary>
/// One host of the install test: a network namespace whose eth0 is a veth to the other host's,
/// and the installed nlbd running in it from the chroot copy, the way the unit runs it as far as
/// that can be done without systemd: the unit's command line and capability bounding set, no new
/// privileges, the root read-only but for the runtime directory, a private /tmp, /proc/sys and
/// /sys read-only (ProtectSystem=strict, PrivateTmp, ProtectKernelTunables), and $NOTIFY_SOCKET
/// and $WATCHDOG_USEC pointing at this test. Disposing kills nlbd (by its pid) if it still runs.
/// </summary>
internal sealed class InstalledHost : IAsyncDisposable
{
    // $1 root, $2 bounding set, then writable directories inside the root, "--", then env -i's arguments.
    // Runs in the mount namespace `ip netns exec` made: every mount here goes when nlbd exits.
    private const string Runner = """
        set -e
        R=$1; caps=$2; shift 2
        mount --bind "$R" "$R"
        mount -o remount,bind,ro "$R"
        mount -t proc proc "$R/proc"
        mount --bind "$R/proc/sys" "$R/proc/sys"
        mount -o remount,bind,ro "$R/proc/sys"
        mount -t sysfs -o ro sysfs "$R/sys"
        mount -t tmpfs -o mode=1777 tmpfs "$R/tmp"
        while [ "$1" != -- ]; do
          mount --bind "$R/$1" "$R/$1"
          mount -o remount,bind,rw "$R/$1"
          shift
        done
        shift
        exec chroot "$R" setpriv --bounding-set "$caps" --inh-caps -all --no-new-privs -- env -i "$@"
        """;

    private readonly StringBuilder _output = new();
    private Process? _process;

    private InstalledHost(string ns, NotifyReceiver notify)
    {
        Namespace = ns;
        Notify = notify;
    }

    public string Namespace { get; }

    public NotifyReceiver Notify { get; }

    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    /// <summary>What nlbd printed so far (its log).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts nlbd: <paramref name="argv"/> inside <paramref name="root"/>, in <paramref name="ns"/>.</summary>
    public static InstalledHost Start(ChrootCopy root, UnitFile unit, string ns, string runtimeDirectory, string notifySocket, TimeSpan watchdog, IReadOnlyList<string> argv)
    {
        Directory.CreateDirectory(root.HostPath(runtimeDirectory));
        var host = new InstalledHost(ns, new NotifyReceiver(root.HostPath(notifySocket)));
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        string[] arguments =
        [
            "netns", "exec", ns, "sh", "-c", Runner, "sh", root.Root, unit.SetprivBoundingSet, runtimeDirectory.TrimStart('/'), "--",
            "PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8", $"NOTIFY_SOCKET={notifySocket}",
            $"WATCHDOG_USEC={(long)watchdog.TotalMicroseconds}", .. argv,
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        host._process = new Process { StartInfo = start };
        host._process.OutputDataReceived += (_, e) => host.Append(e.Data);
        host._process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        host._process.Start();
        host._process.BeginOutputReadLine();
        host._process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Sends SIGTERM, as systemd's stop does (KillSignal=SIGTERM, to nlbd only).</summary>
    public Task TerminateAsync() => CommandRunner.RunCheckedAsync("kill", ["-TERM", Pid()], TimeSpan.FromSeconds(5));

    /// <summary>True when nlbd exited within <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        try
        {
            await _process!.WaitForExitAsync(deadline.Token);
            return true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            // `ip netns exec`, sh, chroot, setpriv and env all exec: this pid is nlbd's.
            await CommandRunner.RunAsync("kill", ["-KILL", Pid()], TimeSpan.FromSeconds(5));
            await WaitForExitAsync(TimeSpan.FromSeconds(10), CancellationToken.None);
        }

        _process?.Dispose();
        Notify.Dispose();
    }

    private string Pid() => _process!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
