namespace OpenNlb.Core.Configuration;

/// <summary>NLB's initial host state.</summary>
public enum HostState
{
    Started = 0,
    Stopped = 1,
    Suspended = 2,
}
