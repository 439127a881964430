using System.Globalization;
using System.Net.Sockets;

namespace OpenNlb.Lab.Interop;

/// <summary>
/// Named network namespaces (the files under /run/netns that `ip netns add` creates): which
/// processes live in one, and sockets opened inside one without spawning a process.
/// </summary>
internal static class NetNamespace
{
    public const string Directory = "/run/netns";

    public static string PathOf(string name) => Path.Combine(Directory, name);

    public static bool Exists(string name) => File.Exists(PathOf(name));

    public static IReadOnlyList<string> List() =>
        System.IO.Directory.Exists(Directory)
            ? [.. System.IO.Directory.EnumerateFiles(Directory).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)]
            : [];

    /// <summary>The namespace's inode: /proc/PID/ns/net of a process inside reads net:[inode].</summary>
    public static unsafe ulong? Inode(string name)
    {
        // struct statx is 256 bytes on every architecture; stx_ino is the u64 at offset 32.
        var buffer = stackalloc byte[256];
        if (Libc.Statx(Libc.AT_FDCWD, PathOf(name), 0, Libc.STATX_INO, buffer) != 0)
        {
            return null;
        }

        return *(ulong*)(buffer + 32);
    }

    /// <summary>The inode of the network namespace a process is in, or null if it is gone.</summary>
    public static ulong? InodeOfProcess(int pid)
    {
        try
        {
            var target = new FileInfo($"/proc/{pid}/ns/net").LinkTarget;
            if (target is null || !target.StartsWith("net:[", StringComparison.Ordinal))
            {
                return null;
            }

            return ulong.Parse(target.AsSpan(5, target.Length - 6), CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Every process whose network namespace is one of these (what `ip netns pids` does, for many at once).</summary>
    public static IReadOnlyList<int> ProcessesIn(IReadOnlyCollection<ulong> inodes)
    {
        var pids = new List<int>();
        foreach (var dir in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && pid != Environment.ProcessId
                && InodeOfProcess(pid) is { } inode
                && inodes.Contains(inode))
            {
                pids.Add(pid);
            }
        }

        return pids;
    }

    /// <summary>
    /// Opens a socket inside the namespace. setns(2) moves only the calling thread, so a dedicated
    /// thread enters the namespace, creates the socket and ends; the socket stays in that namespace
    /// and can be used from any thread.
    /// </summary>
    public static Socket OpenSocket(string name, AddressFamily family, SocketType type, ProtocolType protocol)
    {
        Socket? socket = null;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                var fd = Libc.Open(PathOf(name), Libc.O_RDONLY | Libc.O_CLOEXEC);
                if (fd < 0)
                {
                    throw Libc.Error("open", PathOf(name));
                }

                try
                {
                    if (Libc.SetNs(fd, Libc.CLONE_NEWNET) != 0)
                    {
                        throw Libc.Error("setns", PathOf(name));
                    }
                }
                finally
                {
                    _ = Libc.Close(fd);
                }

                socket = new Socket(family, type, protocol);
            }
            catch (Exception e)
            {
                error = e;
            }
        })
        {
            IsBackground = true,
            Name = "netns " + name,
        };
        thread.Start();
        thread.Join();
        return error is null ? socket! : throw new IOException($"cannot open a socket in network namespace {name}: {error.Message}", error);
    }
}
