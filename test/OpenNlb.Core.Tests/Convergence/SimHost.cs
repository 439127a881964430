using OpenNlb.Core.Allocation;
using OpenNlb.Core.Convergence;
using OpenNlb.Core.DataPlane;

namespace OpenNlb.Core.Tests.Convergence;

/// <summary>
/// One machine of the simulation: a slot on the network, and the daemon's node when it runs (null
/// after a crash). A restart makes a new node with a larger incarnation, as nlbd does.
/// </summary>
internal sealed class SimHost(int slot, int priority, string name, ulong fingerprint, IReadOnlyList<MemberRule> rules)
{
    public int Slot { get; } = slot;

    public int Priority { get; } = priority;

    public string Name { get; } = name;

    public ulong Fingerprint { get; } = fingerprint;

    /// <summary>The rules its configuration file gives it; a restart starts from these again.</summary>
    public IReadOnlyList<MemberRule> ConfiguredRules { get; } = rules;

    public ConvergenceNode? Node { get; set; }

    public ulong Incarnation { get; set; }

    public ulong Sequence { get; set; }

    /// <summary>The wake-up that is scheduled; older ones are ignored when they come up.</summary>
    public long PlannedWake { get; set; } = long.MaxValue;

    /// <summary>The hand-over collection under way (incarnation, epoch), so that it is asked for once.</summary>
    public (ulong Incarnation, ulong Epoch)? Collecting { get; set; }

    /// <summary>What the trace last reported of this host, to report changes only.</summary>
    public (Ownership? Ownership, ulong Epoch, int State, bool Participant) Reported { get; set; }

    /// <summary>Counts the inputs given to the node, so that what was computed from it can be reused until the next.</summary>
    public long Version { get; set; }

    /// <summary>The node's view as last computed, the <see cref="Version"/> it is of, and until when it holds (exclusive).</summary>
    public (IReadOnlyList<int> View, long Version, long ValidUntil)? CachedView { get; set; }

    /// <summary>What the local check last passed, to skip it while nothing changed.</summary>
    public (Ownership? Ownership, long Version) LocallyChecked { get; set; }

    /// <summary>
    /// What the kernel still accepts beyond the node's ownership, or null when it holds just that:
    /// after a heartbeat that went before the releases (<see cref="ConvergenceNode.HeartbeatMayPrecedeReleases"/>),
    /// until the daemon's next kernel write. The union of before and after: the daemon writes the
    /// claim through the heir sets first, then the releases.
    /// </summary>
    public Ownership? KernelLag { get; set; }

    /// <summary>The node's ownership when the daemon last served it: where the kernel was.</summary>
    public Ownership? Served { get; set; }

    /// <summary>What the kernel accepts now.</summary>
    public Ownership Kernel => KernelLag ?? Node!.Ownership;

    public bool Running => Node is not null;

    /// <summary>
    /// The node's view now. Without input to the node its view only shrinks, when a peer's record
    /// expires, which <see cref="ConvergenceNode.NextWakeMs"/> never passes; so a cached view is
    /// reused until then (and were it ever too old, it would be too large: a false alarm, never a
    /// missed one).
    /// </summary>
    public IReadOnlyList<int> View(long nowMs)
    {
        if (CachedView is { } cached && cached.Version == Version && nowMs < cached.ValidUntil)
        {
            return cached.View;
        }

        var view = Node!.View(nowMs);
        CachedView = (view, Version, Math.Max(Node.NextWakeMs(nowMs), nowMs + 1));
        return view;
    }
}
