using OpenNlb.Lab.Interop;

namespace OpenNlb.Lab.Processes;

/// <summary>Whether a pid is a live process inside a given namespace, and signals to it.</summary>
internal static class ProcessState
{
    /// <summary>True when the process exists, is not a zombie, and lives in the namespace with this inode.</summary>
    public static bool IsRunningIn(int pid, ulong namespaceInode) =>
        IsAlive(pid) && NetNamespace.InodeOfProcess(pid) == namespaceInode;

    /// <summary>True when the process exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var end = stat.LastIndexOf(')');
            return end > 0 && end + 2 < stat.Length && stat[end + 2] is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Sends a signal; false if the process is gone.</summary>
    public static bool Send(int pid, Signal signal) => Libc.Kill(pid, (int)signal) == 0;

    /// <summary>Waits until none of the processes is alive; returns those still alive at the deadline.</summary>
    public static async Task<IReadOnlyList<int>> WaitForExitAsync(IEnumerable<int> pids, TimeSpan timeout)
    {
        var left = pids.ToList();
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            _ = left.RemoveAll(p => !IsAlive(p));
            if (left.Count == 0 || DateTime.UtcNow >= deadline)
            {
                return left;
            }

            await Task.Delay(25);
        }
    }

    /// <summary>The pid in a pid file, or null when there is no readable one.</summary>
    public static int? ReadPidFile(string path)
    {
        try
        {
            return int.TryParse(File.ReadAllText(path).Trim(), out var pid) && pid > 0 ? pid : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
