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

    /// <summary>The hold on new flows is set (<see cref="RulesetRenderer.RenderHold"/>).</summary>
    private bool _holding;

    public Ownership? Current { get; private set; }

    /// <summary>Whether the kernel holds <paramref name="ownership"/> (as it holds one: <see cref="OwnershipSteps.InKernel"/>).</summary>
    public bool Holds(Ownership ownership) => Current is { } current && current.Equals(OwnershipSteps.InKernel(ownership));

    /// <summary>
    /// Whether the kernel does what <paramref name="ownership"/> says, whatever heir-set steps are
    /// left (<see cref="OwnershipSteps.Serves"/>).
    /// </summary>
    public bool Serves(Ownership ownership)
    {
        if (Current is not { } current)
        {
            return false;
        }

        var target = OwnershipSteps.InKernel(ownership);
        return current.Equals(target) || OwnershipSteps.Serves(current, target);
    }

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
    /// <param name="stepApplied">Called after each step: the loop is making progress (<see cref="HeartbeatWatchdog"/>).</param>
    /// <returns>
    /// False when steps are left for the next call: once every release is done, one step per
    /// call, so that the claims and the heir sets (tens of thousands of elements after a new map
    /// on a loaded machine: half a second, seen starving the heartbeats into a false failover)
    /// take turns with the loop, and the heartbeat that says this host released goes out before
    /// them. What is left is never a release.
    /// </returns>
    /// <param name="releasesOnly">
    /// Stop before the first step if what is left releases nothing: the loop calls with it before
    /// it sends a heartbeat (which must not promise more than the kernel enforces), and without it
    /// after, so that a heartbeat saying this host released goes out before any claim is written.
    /// </param>
    public bool Apply(Ownership next, IReadOnlyList<HandoverFlow> flows, IReadOnlyList<HandoverClient> clients, Action? stepApplied = null, bool releasesOnly = false)
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

        var applied = 0;
        foreach (var step in OwnershipSteps.Between(Current, next))
        {
            if ((applied++ > 0 || releasesOnly) && OwnershipSteps.AcceptsNewWherever(next, Current))
            {
                return false;
            }

            var script = RulesetRenderer.RenderUpdate(spec, Current, step);
            if (script.Length > 0)
            {
                _nft.Run(script);
            }

            Current = step;
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

    public void Remove()
    {
        _nft.Run(RulesetRenderer.RenderRemove(spec));
        Current = null;
    }

    public void Dispose() => _nft.Dispose();
}
