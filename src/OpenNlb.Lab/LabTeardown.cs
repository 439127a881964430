using OpenNlb.Lab.Interop;
using OpenNlb.Lab.Model;
using OpenNlb.Lab.Processes;
using OpenNlb.Linux.Processes;

namespace OpenNlb.Lab;

/// <summary>
/// `down`: finds a lab by its namespaces (so it works after a crash, without lab.json), stops every
/// process inside them (SIGTERM so nlbd cleans up, then SIGKILL), deletes the namespaces and the
/// state directory. Running it twice is harmless.
/// </summary>
internal static class LabTeardown
{
    private static readonly TimeSpan TermGrace = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(3);

    public static async Task<TeardownReport> DownAsync(string lab, CancellationToken cancellationToken)
    {
        if (LabNames.Validate(lab) is { } error)
        {
            throw new LabException(error);
        }

        var namespaces = NetNamespace.List().Where(ns => LabNames.NodeOf(lab, ns) is not null).ToList();
        var killed = await StopProcessesAsync(namespaces);

        var failures = new List<string>();
        var deleted = new List<string>();
        foreach (var ns in namespaces)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = await CommandRunner.RunAsync("ip", ["netns", "delete", ns], Ip.Timeout, null, CancellationToken.None);
            if (result.ExitCode == 0)
            {
                deleted.Add(ns);
            }
            else if (NetNamespace.Exists(ns))
            {
                failures.Add($"`{result.Command}` exited with code {result.ExitCode}: {result.StandardError.Trim()}");
            }
        }

        var paths = new LabPaths(lab);
        var removed = Directory.Exists(paths.Directory);
        if (removed)
        {
            KeepLogs(lab, paths);
            Directory.Delete(paths.Directory, recursive: true);
        }

        RemoveRootIfEmpty();
        return failures.Count == 0
            ? new TeardownReport(lab, killed, deleted, removed)
            : throw new LabException($"lab '{lab}' is not completely down: {string.Join("; ", failures)}");
    }

    /// <summary>
    /// With OPENNLB_LAB_KEEP_LOGS=&lt;directory&gt;, copies the lab's logs to
    /// &lt;directory&gt;/&lt;lab&gt;-&lt;UTC time&gt; before they are removed: the end-to-end tests take
    /// their labs down whether they pass or fail, and a failure seen once in a long run is
    /// understood from the daemons' logs or not at all. Best effort: a copy that fails does not
    /// stop the teardown.
    /// </summary>
    private static void KeepLogs(string lab, LabPaths paths)
    {
        if (Environment.GetEnvironmentVariable("OPENNLB_LAB_KEEP_LOGS") is not { Length: > 0 } keep)
        {
            return;
        }

        try
        {
            var to = Path.Combine(keep, $"{lab}-{DateTime.UtcNow:HHmmss.fff}");
            Directory.CreateDirectory(to);
            foreach (var log in Directory.GetFiles(paths.Directory, "*.log"))
            {
                File.Copy(log, Path.Combine(to, Path.GetFileName(log)));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"lab '{lab}': logs not kept: {e.Message}");
        }
    }

    /// <summary>Every lab there is a trace of: a state directory, or a switch namespace onlb-&lt;lab&gt;-sw.</summary>
    public static IReadOnlyList<string> Discover()
    {
        var fromState = Directory.Exists(LabPaths.Root)
            ? Directory.EnumerateDirectories(LabPaths.Root).Select(Path.GetFileName).OfType<string>().Where(n => LabNames.Validate(n) is null)
            : [];
        var fromNamespaces = NetNamespace.List().Select(LabNames.LabOfSwitch).OfType<string>();
        return [.. fromState.Concat(fromNamespaces).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
    }

    private static async Task<IReadOnlyList<int>> StopProcessesAsync(IReadOnlyList<string> namespaces)
    {
        var inodes = namespaces.Select(NetNamespace.Inode).OfType<ulong>().ToHashSet();
        if (inodes.Count == 0)
        {
            return [];
        }

        var all = new List<int>();
        // Two rounds: a process may have been started in a namespace while the first round waited.
        for (var round = 0; round < 2; round++)
        {
            var pids = NetNamespace.ProcessesIn(inodes);
            foreach (var pid in pids)
            {
                _ = ProcessState.Send(pid, Signal.SIGTERM);
                _ = ProcessState.Send(pid, Signal.SIGCONT);    // a stopped nlbd must run to handle SIGTERM
            }

            var stubborn = await ProcessState.WaitForExitAsync(pids, TermGrace);
            foreach (var pid in stubborn)
            {
                _ = ProcessState.Send(pid, Signal.SIGKILL);
            }

            _ = await ProcessState.WaitForExitAsync(stubborn, KillGrace);
            all.AddRange(pids);
        }

        return [.. all.Distinct()];
    }

    private static void RemoveRootIfEmpty()
    {
        try
        {
            if (Directory.Exists(LabPaths.Root) && !Directory.EnumerateFileSystemEntries(LabPaths.Root).Any())
            {
                Directory.Delete(LabPaths.Root);
            }
        }
        catch (IOException)
        {
            // Another lab came up meanwhile: its directory stays, and so does the root.
        }
    }
}
