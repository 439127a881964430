using OpenNlb.Linux.Processes;

namespace OpenNlb.EndToEnd.Tests.Packaging;

/// <summary>
/// A throw-away copy of a root file system, to install into and run from. Commands run chrooted
/// in a private mount namespace (unshare -m) with /proc mounted there: the mount disappears with
/// the command, whatever happens to the test. Disposing kills what still runs in the copy and
/// deletes it, never crossing into another file system.
/// </summary>
internal sealed class ChrootCopy : IAsyncDisposable
{
    public const string Prefix = "/var/tmp/onlb-tp-root-";

    private static readonly string[] Environment = ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "LANG=C.UTF-8", "DEBIAN_FRONTEND=noninteractive"];

    private ChrootCopy(string root) => Root = root;

    public string Root { get; }

    /// <summary>A host path for a path inside the copy.</summary>
    public string HostPath(string path) => Path.Combine(Root, path.TrimStart('/'));

    public static async Task<ChrootCopy> CreateAsync(string template, CancellationToken ct)
    {
        var copy = new ChrootCopy(Prefix + Guid.NewGuid().ToString("n")[..8]);
        try
        {
            await CommandRunner.RunCheckedAsync("cp", ["-a", "--reflink=auto", template, copy.Root], TimeSpan.FromMinutes(5), cancellationToken: ct);
            File.Copy("/etc/resolv.conf", copy.HostPath("/etc/resolv.conf"), overwrite: true);
        }
        catch
        {
            await copy.DisposeAsync();
            throw;
        }

        return copy;
    }

    /// <summary>Runs a command inside the copy with a clean environment (PATH, LANG, DEBIAN_FRONTEND).</summary>
    public Task<CommandResult> RunAsync(IReadOnlyList<string> argv, TimeSpan timeout, CancellationToken ct) =>
        CommandRunner.RunAsync("unshare", ["-m", "--", "sh", "-c", """mount -t proc proc "$0/proc" && exec chroot "$0" env -i "$@" """, Root, .. Environment, .. argv], timeout, cancellationToken: ct);

    public async Task<string> RunCheckedAsync(IReadOnlyList<string> argv, TimeSpan timeout, CancellationToken ct)
    {
        var result = await RunAsync(argv, timeout, ct);
        return result.ExitCode == 0
            ? result.StandardOutput
            : throw new InvalidOperationException($"in the chroot, `{string.Join(' ', argv)}` exited {result.ExitCode}:\n{result.StandardOutput}\n{result.StandardError}");
    }

    public async ValueTask DisposeAsync() => await RemoveTreeAsync(Root);

    /// <summary>
    /// Deletes a root: first every process running in it (their root is the copy: they are this
    /// test's), then anything still mounted below it, then the files, on this file system only.
    /// </summary>
    public static async Task RemoveTreeAsync(string root)
    {
        if (!Directory.Exists(root))
        {
            return;
        }

        var full = Path.GetFullPath(root).TrimEnd('/');
        for (var attempt = 0; attempt < 50 && ProcessesIn(full).ToList() is { Count: > 0 } pids; attempt++)
        {
            foreach (var pid in pids)
            {
                _ = await CommandRunner.RunAsync("kill", ["-KILL", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(5));
            }

            await Task.Delay(100);
        }

        foreach (var mount in MountsBelow(full).OrderByDescending(m => m.Length))
        {
            _ = await CommandRunner.RunAsync("umount", ["-l", mount], TimeSpan.FromSeconds(30));
        }

        if (MountsBelow(full).Any())
        {
            throw new InvalidOperationException($"{full} still has mounts below it; not deleting it");
        }

        await CommandRunner.RunCheckedAsync("rm", ["-rf", "--one-file-system", full], TimeSpan.FromMinutes(5));
    }

    private static IEnumerable<int> ProcessesIn(string root)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            string? target = null;
            try
            {
                target = new FileInfo(Path.Combine(dir, "root")).LinkTarget;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }

            if (target is not null && (target == root || target.StartsWith(root + "/", StringComparison.Ordinal)))
            {
                yield return pid;
            }
        }
    }

    // Mount points in this mount namespace (field 5 of mountinfo, with spaces escaped as \040).
    private static IEnumerable<string> MountsBelow(string root) =>
        File.ReadAllLines("/proc/self/mountinfo")
            .Select(l => l.Split(' ')[4].Replace("\\040", " ", StringComparison.Ordinal))
            .Where(m => m == root || m.StartsWith(root + "/", StringComparison.Ordinal));
}
