using OpenNlb.Core.Configuration;

namespace OpenNlb.Core.DataPlane;

/// <summary>Everything the ruleset depends on besides ownership; fixed for the daemon's lifetime.</summary>
public sealed record DataPlaneSpec(ClusterConfig Cluster, int HostPriority, string Interface, int BucketCount, uint HashSeed)
{
    public const string TableName = "opennlb";
}
