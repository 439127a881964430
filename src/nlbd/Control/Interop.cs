using System.Runtime.InteropServices;

namespace OpenNlb.Daemon.Control;

internal static partial class Interop
{
    /// <summary>umask(2): the control socket is created 0600 without a chmod race.</summary>
    [LibraryImport("libc", EntryPoint = "umask")]
    internal static partial uint Umask(uint mask);

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Chown(string path, uint owner, uint group);

    [LibraryImport("libc", EntryPoint = "chmod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Chmod(string path, uint mode);
}
