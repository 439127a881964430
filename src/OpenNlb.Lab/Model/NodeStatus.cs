using OpenNlb.Core.Status;

namespace OpenNlb.Lab.Model;

/// <summary>One node as it is now: what the kernel says about its eth0, and its processes.</summary>
public sealed record NodeStatus
{
    public required string Name { get; init; }

    public required NodeRole Role { get; init; }

    public required string Namespace { get; init; }

    public required bool NamespaceExists { get; init; }

    /// <summary>eth0's MAC now (the cluster MAC on a unicast host whose nlbd runs).</summary>
    public string? Mac { get; init; }

    /// <summary>eth0's IPv4 addresses now, with prefix length (the VIP appears once nlbd added it).</summary>
    public IReadOnlyList<string> Addresses { get; init; } = [];

    /// <summary>Whether the node's port on the bridge is up; null for the switch itself.</summary>
    public bool? SwitchPortUp { get; init; }

    public int? NlbdPid { get; init; }

    public bool NlbdRunning { get; init; }

    public int? ServicePid { get; init; }

    public bool ServiceRunning { get; init; }

    /// <summary>What this host's nlbd last wrote to its state file; null if nothing (yet).</summary>
    public HostStatus? Cluster { get; init; }
}
