namespace OpenNlb.Core.Membership;

/// <summary>A host's state as its heartbeats announce it. Wire values: append only, never renumber.</summary>
public enum MemberState : byte
{
    /// <summary>Takes its share of the traffic.</summary>
    Started = 1,

    /// <summary>Leaving or left the cluster on purpose: the others take its buckets at once.</summary>
    Stopped = 2,
}
