namespace OpenNlb.Core.Membership;

/// <summary>What a received heartbeat did to the membership table.</summary>
public enum Observation
{
    /// <summary>A known peer's heartbeat, taken.</summary>
    Refreshed,

    /// <summary>A peer heard for the first time, or again after it was dropped, stopped or restarted.</summary>
    Joined,

    /// <summary>A peer that says it has stopped.</summary>
    Stopped,

    /// <summary>Our own heartbeat, looped back by the broadcast.</summary>
    Self,

    /// <summary>Another cluster on the same network: ignored.</summary>
    OtherCluster,

    /// <summary>Older than what we already have from that incarnation (reordered or replayed): ignored.</summary>
    Stale,

    /// <summary>The sender's cluster section differs from ours: it is kept out.</summary>
    Mismatched,

    /// <summary>Another host claims our host priority: it is kept out.</summary>
    DuplicatePriority,

    /// <summary>A host already switched to the cluster section staged here: counted for the switch, otherwise ignored.</summary>
    Switched,

    /// <summary>
    /// A host that has staged our cluster section and not yet switched to it: kept out like a
    /// mismatch until it does (moments, normally), but nothing to warn about.
    /// </summary>
    SwitchingHere,
}
