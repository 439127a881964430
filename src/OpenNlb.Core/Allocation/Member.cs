namespace OpenNlb.Core.Allocation;

/// <summary>
/// A live host as every host of the cluster sees it: its host priority (which is its host id,
/// 1..64, lower is better) and its settings for each port rule, in the order of
/// <see cref="Configuration.ClusterConfig.PortRules"/>.
/// </summary>
public sealed record Member(int Priority, IReadOnlyList<MemberRule> Rules)
{
    public const int MinPriority = 1;

    public const int MaxPriority = 64;
}
