using System.Runtime.InteropServices;

namespace OpenNlb.Linux.Nftables;

/// <summary>
/// Runs nft scripts through libnftables in this process. Each script is sent to the kernel as one
/// netlink batch, so it applies whole or not at all: the kernel never holds a half-written table.
/// Not thread-safe in libnftables, so calls are serialised here.
/// </summary>
public sealed class NftablesContext : IDisposable
{
    private readonly NftContextHandle _ctx;
    private readonly Lock _gate = new();

    public NftablesContext()
    {
        _ctx = Interop.Nftables.nft_ctx_new(Interop.Nftables.NFT_CTX_DEFAULT);
        if (_ctx.IsInvalid)
        {
            throw new NftablesException("libnftables: nft_ctx_new failed");
        }

        // Capture nft's output and errors instead of letting it print to our stdout/stderr.
        Interop.Nftables.nft_ctx_buffer_output(_ctx);
        Interop.Nftables.nft_ctx_buffer_error(_ctx);
    }

    /// <summary>Runs a script as one transaction and returns what nft printed (for list commands).</summary>
    public string Run(string script)
    {
        lock (_gate)
        {
            return RunLocked(script);
        }
    }

    /// <summary>Runs a list command and returns its output in libnftables' JSON schema, as `nft -j` prints it.</summary>
    public string RunJson(string command)
    {
        lock (_gate)
        {
            var flags = Interop.Nftables.nft_ctx_output_get_flags(_ctx);
            Interop.Nftables.nft_ctx_output_set_flags(_ctx, flags | Interop.Nftables.NFT_CTX_OUTPUT_JSON);
            try
            {
                return RunLocked(command);
            }
            finally
            {
                Interop.Nftables.nft_ctx_output_set_flags(_ctx, flags);
            }
        }
    }

    public void Dispose() => _ctx.Dispose();

    private string RunLocked(string script)
    {
        var rc = Interop.Nftables.nft_run_cmd_from_buffer(_ctx, script);
        var output = Marshal.PtrToStringUTF8(Interop.Nftables.nft_ctx_get_output_buffer(_ctx)) ?? string.Empty;
        var error = Marshal.PtrToStringUTF8(Interop.Nftables.nft_ctx_get_error_buffer(_ctx)) ?? string.Empty;
        if (rc != 0)
        {
            throw new NftablesException($"nftables rejected the transaction (nothing was applied): {error.Trim()}");
        }

        return output;
    }
}
