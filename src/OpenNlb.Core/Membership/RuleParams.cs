namespace OpenNlb.Core.Membership;

/// <summary>
/// A host's settings for one port rule as heartbeats carry them, because each host's load weight
/// and handling priority live in its own section of the configuration.
/// </summary>
public readonly record struct RuleParams(int? LoadWeight, int HandlingPriority)
{
    /// <summary>Wire value of an "equal" load weight.</summary>
    public const byte EqualWeight = 0xFF;
}
