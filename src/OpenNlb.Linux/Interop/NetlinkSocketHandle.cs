using Microsoft.Win32.SafeHandles;

namespace OpenNlb.Linux.Nftables;

/// <summary>Owns a netlink socket's file descriptor.</summary>
internal sealed class NetlinkSocketHandle : SafeHandleMinusOneIsInvalid
{
    public NetlinkSocketHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle() => Interop.Libc.close((int)handle) == 0;
}
