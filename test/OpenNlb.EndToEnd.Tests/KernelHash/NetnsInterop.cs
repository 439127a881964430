using System.ComponentModel;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace OpenNlb.EndToEnd.Tests.KernelHash;

/// <summary>setns(2): moves the calling thread (only) into a network namespace.</summary>
internal static class NetnsInterop
{
    private const int CLONE_NEWNET = 0x40000000;

    public static void EnterNetworkNamespace(SafeFileHandle namespaceFile, string name)
    {
        var added = false;
        namespaceFile.DangerousAddRef(ref added);
        try
        {
            if (setns((int)namespaceFile.DangerousGetHandle(), CLONE_NEWNET) != 0)
            {
                throw new Win32Exception(Marshal.GetLastPInvokeError(), $"setns into network namespace {name} failed");
            }
        }
        finally
        {
            if (added)
            {
                namespaceFile.DangerousRelease();
            }
        }
    }

    // DllImport rather than LibraryImport: a blittable signature needs no marshalling code, and the
    // test project does not allow unsafe blocks, which the LibraryImport generator requires.
#pragma warning disable SYSLIB1054
    [DllImport("libc", SetLastError = true)]
    private static extern int setns(int fd, int nstype);
#pragma warning restore SYSLIB1054
}
