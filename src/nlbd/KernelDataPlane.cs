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

    private readonly Lock _leaseGate = new();

    /// <summary>When the lease last granted runs out (Stopwatch ms); a renewal never brings it earlier.</summary>
    private long _leaseUntilMs;

    public Ownership? Current { get; private set; }

    /// <summary>The hold on new flows is set (<see cref="RulesetRenderer.RenderHold"/>).</summary>
    private bool _holding;

    private static long ClockMs => (long)System.Diagnostics.Stopwatch.GetElapsedTime(0).TotalMilliseconds;

    /// <summary>
    /// Whether a renewal for <paramref name="lease"/> from now extends the lease, and if so, notes
    /// it. A renewal is a replacement (flush and add): a shorter one, such as a step's late in a
    /// move, would cut the lease granted with the last heartbeat and let it lapse (seen: 2 UDP
    /// datagrams unanswered on a host that was only draining).
    /// </summary>
    private bool Extends(TimeSpan lease)
    {
        lock (_leaseGate)
        {
            var until = ClockMs + (long)lease.TotalMilliseconds;
            if (until <= _leaseUntilMs)
            {
                return false;
            }

            _leaseUntilMs = until;
            return true;
        }
    }

    /// <summary>Whether the kernel holds <paramref name="ownership"/> (as it holds one: <see cref="OwnershipSteps.InKernel"/>).</summary>
    public bool Holds(Ownership ownership) => Current is { } current && current.Equals(OwnershipSteps.InKernel(ownership));

    public void Install(Ownership ownership)
    {
        ownership = OwnershipSteps.InKernel(ownership);
        _nft.Run(RulesetRenderer.RenderFull(spec, ownership));
        Current = ownership;
        _holding = false;
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
    /// <returns>
    /// False when steps are left for the next call: after one step that only rewrites heir sets
    /// (<see cref="StandbySteps"/>), so that writing them after a new map (tens of thousands of
    /// elements on a loaded machine: half a second, seen starving the heartbeats into a false
    /// failover) takes turns with the loop. What is left is never a release.
    /// </returns>
    public bool Apply(Ownership next, IReadOnlyList<HandoverFlow> flows, IReadOnlyList<HandoverClient> clients, Func<TimeSpan?>? leaseLeft = null, Action? stepApplied = null)
    {
        if (Current is null)
        {
            Install(next);
            return true;
        }

        next = OwnershipSteps.InKernel(next);

        // Foreign entries first, so that a bucket is never claimed before what it must leave alone is known.
        var foreign = RulesetRenderer.RenderForeign(spec, flows, clients);
        if (foreign.Length > 0)
        {
            _nft.Run(foreign);
        }

        // Giving up every new flow: at once, by the hold, then bucket by bucket in many steps. A
        // host that must release everything (a peer no longer counts it) would otherwise keep
        // answering for as long as the steps take (seen: 150 ms of SYNs answered by two hosts after
        // a partition healed). The hold stays until the steps are done, also if one fails. Only with
        // takeovers, which are what make both sides of a healed partition hold the same buckets:
        // without them the default path stays the one measured and tested before.
        if (spec.Cluster.Heartbeat.Takeover && next.OwnsNothingNew && !Current.OwnsNothingNew && !_holding)
        {
            _nft.Run(RulesetRenderer.RenderHold(on: true));
            _holding = true;
        }

        var previousStep = TimeSpan.Zero;
        var heirSteps = 0;
        foreach (var step in OwnershipSteps.Between(Current, next))
        {
            if (StandbySteps.OnlyHeirsDiffer(Current, step) && heirSteps++ > 0)
            {
                return false;
            }

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
                _nft.Run(leaseLeft?.Invoke() - previousStep is { } left && left > TimeSpan.FromMilliseconds(10) && Extends(left)
                    ? script + RulesetRenderer.RenderLeaseRenewal(spec with { Lease = left })
                    : script);
            }

            Current = step;
            previousStep = System.Diagnostics.Stopwatch.GetElapsedTime(started);
            stepApplied?.Invoke();
        }

        Current = next;
        if (_holding)
        {
            _nft.Run(RulesetRenderer.RenderHold(on: false));
            _holding = false;
        }

        return true;
    }

    /// <summary>Renews the kernel's lease on accepting new flows (docs/convergence.md, "The lease").</summary>
    /// <param name="lease">Shorter than the configured lease when the heartbeat it goes with left earlier.</param>
    public void RenewLease(TimeSpan? lease = null)
    {
        var granted = lease ?? spec.Lease;
        if (Current is not null && Extends(granted))
        {
            _lease.Run(RulesetRenderer.RenderLeaseRenewal(spec with { Lease = granted }));
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
