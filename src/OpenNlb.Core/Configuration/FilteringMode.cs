namespace OpenNlb.Core.Configuration;

/// <summary>NLB's filtering mode of a port rule.</summary>
public enum FilteringMode
{
    /// <summary>Shared over all live hosts by bucket, in proportion to their load weights.</summary>
    Multiple = 0,

    /// <summary>Served by one host: the live host with the best handling priority.</summary>
    Single = 1,

    /// <summary>Dropped by every host.</summary>
    Disabled = 2,
}
