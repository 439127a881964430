namespace OpenNlb.Core.Configuration;

/// <summary>One host's whole configuration: the cluster section and its own section.</summary>
public sealed record NlbConfig(ClusterConfig Cluster, HostConfig Host);
