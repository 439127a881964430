using System.Net;
using OpenNlb.Core.Configuration;

namespace OpenNlb.Lab.Model;

/// <summary>One namespace of the lab, as planned by `up` and recorded in lab.json.</summary>
public sealed record LabNode
{
    /// <summary>sw, h1..hN, c1..cM: what `nlb lab exec` takes.</summary>
    public required string Name { get; init; }

    public required NodeRole Role { get; init; }

    /// <summary>The network namespace, onlb-&lt;lab&gt;-&lt;name&gt;.</summary>
    public required string Namespace { get; init; }

    /// <summary>Host priority (the host id) of a host; 0 for the switch and the clients.</summary>
    public int HostPriority { get; init; }

    /// <summary>eth0's address: a host's dedicated IP, a client's own address; null for the switch.</summary>
    public IPNetworkAddress? Address { get; init; }

    /// <summary>A client's extra source addresses (/32 on eth0) in 198.51.100.0/24 and 203.0.113.0/24.</summary>
    public IReadOnlyList<IPAddress> ExtraAddresses { get; init; } = [];

    /// <summary>eth0's own MAC as the lab set it (nlbd may change it in unicast mode); null for the switch.</summary>
    public string? Mac { get; init; }
}
