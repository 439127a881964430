using System.Runtime.InteropServices;

namespace OpenNlb.Daemon.Control;

internal static partial class Interop
{
    /// <summary>umask(2): the control socket is created 0600 without a chmod race.</summary>
    [LibraryImport("libc", EntryPoint = "umask")]
    internal static partial uint Umask(uint mask);
}
