using OpenNlb.Core.Configuration;

namespace OpenNlb.Lab.Bench;

/// <summary>What `nlb bench convergence` runs.</summary>
public sealed record ConvergenceBenchOptions
{
    /// <summary>The lab it builds (and removes at the end).</summary>
    public string Name { get; init; } = "conv";

    /// <summary>Crashes to time (kill -9 and cable pulled), rotating over the hosts.</summary>
    public int Crashes { get; init; } = 20;

    public OperationMode Mode { get; init; } = OperationMode.Unicast;

    /// <summary>Only the change of the cluster section: live, and by restarting every host (the way before).</summary>
    public bool ClusterChangeOnly { get; init; }

    public int TcpConnections { get; init; } = 200;

    public int UdpFlows { get; init; } = 50;

    /// <summary>How long heartbeat bytes are counted.</summary>
    public TimeSpan HeartbeatWindow { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long a crash may take to be served before it counts as not failed over.</summary>
    public TimeSpan FailoverLimit { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Pause after a daemon (re)starts before measuring: a .NET daemon that just started compiles
    /// (tiered JIT) on the same two cores the lab runs on.
    /// </summary>
    public TimeSpan Settle { get; init; } = TimeSpan.FromSeconds(3);
}
