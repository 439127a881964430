using System.Runtime.InteropServices;

namespace OpenNlb.Lab.Interop;

/// <summary>The libc calls the lab needs and .NET does not wrap. Native names for native constants.</summary>
internal static partial class Libc
{
    internal const int O_RDONLY = 0;
    internal const int O_CLOEXEC = 0x80000;
    internal const int CLONE_NEWNET = 0x40000000;
    internal const int AT_FDCWD = -100;
    internal const uint STATX_INO = 0x100;
    internal const int IPPROTO_IP = 0;
    internal const int IP_PKTINFO = 8;
    internal const int MSG_NOSIGNAL = 0x4000;
    internal const int EAGAIN = 11;
    internal const int ESRCH = 3;

    [LibraryImport("libc", EntryPoint = "geteuid")]
    internal static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    internal static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    internal static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    internal static partial int SetNs(int fd, int nsType);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static unsafe partial int Statx(int dirFd, string path, int flags, uint mask, byte* statxBuffer);

    [LibraryImport("libc", EntryPoint = "sendmsg", SetLastError = true)]
    internal static unsafe partial nint SendMsg(int socket, MsgHdr* message, int flags);

    /// <summary>An exception that says which call failed and why (errno and its text).</summary>
    internal static IOException Error(string call, string subject)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call}({subject}) failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
    }

    /// <summary>struct msghdr (LP64: x86_64 and arm64 share the layout).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct MsgHdr
    {
        public void* Name;
        public uint NameLength;
        public void* Iov;
        public nuint IovLength;
        public void* Control;
        public nuint ControlLength;
        public int Flags;
    }

    /// <summary>struct iovec.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal unsafe struct IoVec
    {
        public void* Base;
        public nuint Length;
    }
}
