using OpenNlb.Core.Configuration;

namespace OpenNlb.Lab;

/// <summary>What `nlb lab up` builds.</summary>
public sealed record LabOptions
{
    /// <summary>The lab's name: [a-z0-9-], 1..32 characters; also the cluster name.</summary>
    public string Name { get; init; } = "lab";

    /// <summary>Cluster hosts h1..hN (1..64).</summary>
    public int Hosts { get; init; } = 3;

    /// <summary>Clients c1..cM (0..54).</summary>
    public int Clients { get; init; } = 2;

    public OperationMode Mode { get; init; } = OperationMode.Unicast;

    /// <summary>Build without nlbd: nothing owns the VIP (a benchmark installs its own filter).</summary>
    public bool NoNlbd { get; init; }

    /// <summary>
    /// Host configuration files to run instead of the generated ones, one per host (host i is the
    /// file whose host.priority is i); the cluster's mode and primary VIP come from them.
    /// </summary>
    public IReadOnlyList<string> ConfigFiles { get; init; } = [];

    /// <summary>Extra source addresses per client, alternating 198.51.100.0/24 and 203.0.113.0/24.</summary>
    public int ClientAddresses { get; init; }

    /// <summary>nlbd to run; null: env NLBD, else artifacts/bin/nlbd/debug/nlbd in the repository, else the installed one (ToolLocator).</summary>
    public string? NlbdPath { get; init; }

    /// <summary>nlb whose `lab serve` is the lab service; null: env NLB, this process if it is nlb, else the repository's build.</summary>
    public string? NlbPath { get; init; }

    /// <summary>How long `up` waits for the services to answer and every nlbd to write its state file.</summary>
    public TimeSpan ReadyTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
