using System.Net;

namespace OpenNlb.Core.Configuration;

/// <summary>
/// The cluster section: identical on every host. A host whose cluster section differs is not the
/// same cluster (see <see cref="ConfigFingerprint"/>).
/// </summary>
public sealed record ClusterConfig
{
    public required string Name { get; init; }

    /// <summary>The cluster's virtual IPs. The first is the primary cluster IP; the cluster MAC derives from it.</summary>
    public required IReadOnlyList<IPAddress> Vips { get; init; }

    public OperationMode Mode { get; init; } = OperationMode.Unicast;

    /// <summary>
    /// Whether ICMP to a VIP is balanced (hashed on the client address) like other traffic. NLB
    /// leaves ICMP unfiltered, so every host answers a ping; we filter by default: one answer.
    /// </summary>
    public bool FilterIcmp { get; init; } = true;

    public HeartbeatConfig Heartbeat { get; init; } = new();

    public required IReadOnlyList<PortRule> PortRules { get; init; }
}
