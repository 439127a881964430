namespace OpenNlb.Core.Convergence;

/// <summary>A host's state as <c>nlb query</c> shows it, with NLB's meanings.</summary>
public enum DisplayState
{
    /// <summary>Taking part, but not all hosts agree on the map yet or this host's claims wait.</summary>
    Converging,

    /// <summary>All hosts agree on the map and this host has its share.</summary>
    Converged,

    /// <summary>Converged, and this host is the default host (traffic no rule covers).</summary>
    ConvergedDefault,

    /// <summary>Drainstopped: serving only the flows it had.</summary>
    Draining,

    Stopped,

    Suspended,

    /// <summary>Kept out: its cluster configuration differs from the serving hosts'.</summary>
    Mismatched,

    /// <summary>Kept out: a live host that started earlier has the same host priority.</summary>
    DuplicatePriority,
}
