using OpenNlb.Core.Configuration;

namespace OpenNlb.Core.DataPlane;

/// <summary>Everything the ruleset depends on besides ownership; fixed for the daemon's lifetime.</summary>
public sealed record DataPlaneSpec(ClusterConfig Cluster, int HostPriority, string Interface, int BucketCount, uint HashSeed)
{
    public const string TableName = "opennlb";

    /// <summary>
    /// How long the kernel accepts new flows after the last lease renewal. Zero: the lease never
    /// lapses (for a daemon that does not renew it, and for tests about something else).
    /// </summary>
    public TimeSpan Lease { get; init; }

    /// <summary>
    /// The user nlbd runs as: only heartbeats its sockets send renew the lease (root by default,
    /// as the packaged service runs).
    /// </summary>
    public uint DaemonUid { get; init; }

    /// <summary>
    /// How long a foreign UDP flow is dropped after its last packet. It should cover the old owner's
    /// conntrack UDP timeout (nf_conntrack_udp_timeout_stream, 120 s by default), so that the new
    /// owner does not take the flow back while the old owner still serves it.
    /// </summary>
    public TimeSpan ForeignFlowTimeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Per port rule (configuration order), the extended-affinity timeout; zero or missing: none.</summary>
    public IReadOnlyList<TimeSpan> AffinityTimeouts { get; init; } = [];

    public TimeSpan AffinityTimeout(int rule) =>
        rule >= 0 && rule < AffinityTimeouts.Count ? AffinityTimeouts[rule] : TimeSpan.Zero;

    /// <summary>
    /// Whether rule i keeps extended-affinity clients: a multiple-host rule with an affinity and a
    /// timeout. Only such a rule has client sets, and only it lets a kept bucket take new flows.
    /// </summary>
    public bool HasClientSets(int rule) =>
        Cluster.PortRules[rule] is { Filtering: FilteringMode.Multiple, Affinity: not Affinity.None }
        && AffinityTimeout(rule) > TimeSpan.Zero;
}
