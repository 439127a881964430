using Microsoft.Win32.SafeHandles;

namespace OpenNlb.Linux.Nftables;

/// <summary>Owns a libnftables context (struct nft_ctx *).</summary>
internal sealed class NftContextHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public NftContextHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle()
    {
        Interop.Nftables.nft_ctx_free(handle);
        return true;
    }
}
