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
}
