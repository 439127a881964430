namespace OpenNlb.Core.Configuration;

/// <summary>
/// A host's settings for one port rule. A null load weight means "equal" (NLB's equal load
/// distribution); 0 means this host takes none of the rule's multiple-host traffic. A null
/// handling priority means "the host priority".
/// </summary>
public sealed record HostPortRule
{
    public static HostPortRule Default { get; } = new();

    public int? LoadWeight { get; init; }

    public int? HandlingPriority { get; init; }
}
