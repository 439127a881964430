namespace OpenNlb.Core.Configuration;

/// <summary>What the bucket of a flow is hashed on (NLB's client affinity).</summary>
public enum Affinity
{
    /// <summary>Client IP and client port: each connection may land on a different host.</summary>
    None = 0,

    /// <summary>Client IP: every connection of a client lands on one host.</summary>
    Single = 1,

    /// <summary>The client's /24 (IPv4) or /56 (IPv6): a whole client network lands on one host.</summary>
    Network = 2,
}
