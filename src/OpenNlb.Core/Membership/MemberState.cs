namespace OpenNlb.Core.Membership;

/// <summary>A host's state as its heartbeats announce it. Wire values: append only, never renumber.</summary>
public enum MemberState : byte
{
    /// <summary>Takes its share of the traffic.</summary>
    Started = 1,

    /// <summary>Left the cluster on purpose and holds nothing: the others take its buckets at once.</summary>
    Stopped = 2,

    /// <summary>Drainstopped: takes no new flows, keeps serving the flows it has until they end.</summary>
    Draining = 3,

    /// <summary>Suspended: like stopped, and ignores start and stop until resumed.</summary>
    Suspended = 4,
}
