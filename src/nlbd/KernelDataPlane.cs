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

    // Its own context: the lease may be renewed from the heartbeat thread while the loop applies a map.
    private readonly NftablesContext _lease = new();

    public Ownership? Current { get; private set; }

    public void Install(Ownership ownership)
    {
        _nft.Run(RulesetRenderer.RenderFull(spec, ownership));
        Current = ownership;
    }

    /// <summary>
    /// Foreign entries, then the new ownership in steps that are each safe on their own
    /// (<see cref="OwnershipSteps"/>). If a step fails, <see cref="Current"/> is where the kernel is.
    /// </summary>
    /// <param name="leaseLeft">
    /// What the lease may be renewed for at each step: the configured lease less the time since the
    /// last heartbeat went out (a lease must never outlive that heartbeat by more than the lease);
    /// null or under 10 ms: not renewed.
    /// </param>
    public void Apply(Ownership next, IReadOnlyList<HandoverFlow> flows, IReadOnlyList<HandoverClient> clients, Func<TimeSpan?>? leaseLeft = null, Action? stepApplied = null)
    {
        if (Current is null)
        {
            Install(next);
            return;
        }

        // Foreign entries first, so that a bucket is never claimed before what it must leave alone is known.
        var foreign = RulesetRenderer.RenderForeign(spec, flows, clients);
        if (foreign.Length > 0)
        {
            _nft.Run(foreign);
        }

        var previousStep = TimeSpan.Zero;
        foreach (var step in OwnershipSteps.Between(Current, next))
        {
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            var script = RulesetRenderer.RenderUpdate(spec, Current, step);
            if (script.Length > 0)
            {
                // Each step is a state the last heartbeat already allowed (see OwnershipSteps), so
                // its transaction re-arms the lease too: a renewal of its own would wait for the
                // kernel's transaction lock behind the step, and a long move would let the lease
                // lapse, dropping this host's UDP flows for a moment (seen: 3 datagrams under load).
                // The lease counts from the commit, at the end of the step: the previous step's
                // duration stands for this one's, so that it ends no later than the heartbeat allows.
                _nft.Run(leaseLeft?.Invoke() - previousStep is { } left && left > TimeSpan.FromMilliseconds(10)
                    ? script + RulesetRenderer.RenderLeaseRenewal(spec with { Lease = left })
                    : script);
            }

            Current = step;
            previousStep = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            stepApplied?.Invoke();
        }

        Current = next;
    }

    /// <summary>Renews the kernel's lease on accepting new flows (docs/convergence.md, "The lease").</summary>
    /// <param name="lease">Shorter than the configured lease when the heartbeat it goes with left earlier.</param>
    public void RenewLease(TimeSpan? lease = null)
    {
        if (Current is not null)
        {
            _lease.Run(RulesetRenderer.RenderLeaseRenewal(lease is { } l ? spec with { Lease = l } : spec));
        }
    }

    public void Remove()
    {
        _nft.Run(RulesetRenderer.RenderRemove(spec));
        Current = null;
    }

    public void Dispose()
    {
        _nft.Dispose();
        _lease.Dispose();
    }
}
