using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Membership;

namespace OpenNlb.Core.Convergence;

/// <summary>What a <see cref="ConvergenceNode"/> is told once, at start.</summary>
/// <param name="Cluster">The cluster section: port rules and heartbeat timing.</param>
/// <param name="Self">This host's identity (cluster id, fingerprint, priority, incarnation).</param>
/// <param name="Rules">This host's settings per port rule, in cluster order.</param>
/// <param name="Restarted">
/// True when the host may already have flows (the daemon restarted, or it is the first start on a
/// host that served before): every bucket starts as kept, so its connections survive, and is
/// retired as <see cref="ConvergenceNode.RetainKept"/> reports it empty.
/// </param>
public sealed record NodeSettings(
    ClusterConfig Cluster,
    LocalIdentity Self,
    IReadOnlyList<MemberRule> Rules,
    MemberState InitialState = MemberState.Started,
    bool Restarted = true)
{
    public long PeriodMs => Cluster.Heartbeat.PeriodMs;

    public long DetectionMs => (long)Cluster.Heartbeat.DetectionTime.TotalMilliseconds;

    public int BucketCount { get; init; } = BucketAllocator.BucketCount;

    /// <summary>
    /// With <see cref="Restarted"/>: the buckets that actually have flows, as nlbd found them
    /// before installing anything; only those start as kept. Null: every bucket does.
    /// </summary>
    public KeptUsage? InitialKept { get; init; }

    /// <summary>
    /// After a switch to a new cluster section: the hosts that took part with this one before it.
    /// Every one of them keeps flows, as this host does, so this host takes part only once it
    /// hears each of them on the new section, and issues no map without one that it hears, until
    /// <see cref="AwaitUntilMs"/>: a map without it would be claimed without its hand-over.
    /// </summary>
    public IReadOnlySet<int> AwaitPeers { get; init; } = new HashSet<int>();

    /// <summary>How long <see cref="AwaitPeers"/> holds, on the node's clock.</summary>
    public long AwaitUntilMs { get; init; }
}
