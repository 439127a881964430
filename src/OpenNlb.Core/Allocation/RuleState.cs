namespace OpenNlb.Core.Allocation;

/// <summary>
/// A host's state for one port rule (NLB's per-rule enable, disable and drain). Wire values:
/// append only, never renumber.
/// </summary>
public enum RuleState : byte
{
    /// <summary>Takes its share of the rule's traffic.</summary>
    Enabled = 1,

    /// <summary>Takes none of the rule's traffic and drops the flows it had.</summary>
    Disabled = 2,

    /// <summary>Takes no new flows of the rule; keeps the ones it has until they end.</summary>
    Draining = 3,
}
