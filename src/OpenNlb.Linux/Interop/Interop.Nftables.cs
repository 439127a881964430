using System.Runtime.InteropServices;

using OpenNlb.Linux.Nftables;

// One partial class per native library, in the global namespace, as in dotnet/runtime.

internal static partial class Interop
{
    /// <summary>libnftables, the library behind nft(8): runs a script as one netlink batch.</summary>
    internal static partial class Nftables
    {
        private const string Library = "libnftables.so.1";

        internal const uint NFT_CTX_DEFAULT = 0;

        /// <summary>enum nft_output_flags: list commands print libnftables' JSON schema (nft -j).</summary>
        internal const uint NFT_CTX_OUTPUT_JSON = 1 << 4;

        [LibraryImport(Library)]
        internal static partial NftContextHandle nft_ctx_new(uint flags);

        [LibraryImport(Library)]
        internal static partial void nft_ctx_free(IntPtr ctx);

        [LibraryImport(Library)]
        internal static partial int nft_ctx_buffer_output(NftContextHandle ctx);

        [LibraryImport(Library)]
        internal static partial int nft_ctx_buffer_error(NftContextHandle ctx);

        [LibraryImport(Library)]
        internal static partial IntPtr nft_ctx_get_output_buffer(NftContextHandle ctx);

        [LibraryImport(Library)]
        internal static partial IntPtr nft_ctx_get_error_buffer(NftContextHandle ctx);

        [LibraryImport(Library)]
        internal static partial uint nft_ctx_output_get_flags(NftContextHandle ctx);

        [LibraryImport(Library)]
        internal static partial void nft_ctx_output_set_flags(NftContextHandle ctx, uint flags);

        [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
        internal static partial int nft_run_cmd_from_buffer(NftContextHandle ctx, string buffer);
    }
}
