using System.Runtime.InteropServices;

using OpenNlb.Linux.Nftables;

internal static partial class Interop
{
    /// <summary>The socket calls for a netlink socket, which .NET's Socket does not create (AF_NETLINK is not one of its families).</summary>
    internal static partial class Libc
    {
        private const string Library = "libc";

        internal const int AF_NETLINK = 16;
        internal const int SOCK_RAW = 3;
        internal const int SOCK_CLOEXEC = 0x80000;
        internal const int NETLINK_NETFILTER = 12;
        internal const int SOL_SOCKET = 1;
        internal const int SO_RCVTIMEO = 20;
        internal const int EINTR = 4;

        [LibraryImport(Library, SetLastError = true)]
        internal static partial NetlinkSocketHandle socket(int domain, int type, int protocol);

        [LibraryImport(Library, SetLastError = true)]
        internal static unsafe partial nint send(NetlinkSocketHandle socket, byte* buffer, nuint length, int flags);

        [LibraryImport(Library, SetLastError = true)]
        internal static unsafe partial nint recv(NetlinkSocketHandle socket, byte* buffer, nuint length, int flags);

        [LibraryImport(Library, SetLastError = true)]
        internal static unsafe partial int setsockopt(NetlinkSocketHandle socket, int level, int name, void* value, uint length);

        [LibraryImport(Library, SetLastError = true)]
        internal static partial int close(int fd);

        [LibraryImport(Library)]
        internal static partial uint geteuid();

        internal const int SCHED_RR = 2;

        /// <summary>With pid 0, the calling thread (a Linux thread is a task of its own).</summary>
        [LibraryImport(Library, SetLastError = true)]
        internal static unsafe partial int sched_setscheduler(int pid, int policy, int* param);

        /// <summary>struct timeval on LP64 (x86_64, arm64).</summary>
        [StructLayout(LayoutKind.Sequential)]
        internal struct TimeVal
        {
            public long Seconds;
            public long Microseconds;
        }
    }
}
