namespace OpenNlb.Core.Configuration;

/// <summary>
/// Heartbeat timing. A host is dropped when nothing was heard from it for
/// <see cref="Tolerance"/> periods (NLB: AliveMsgPeriod and AliveMsgTolerance).
/// </summary>
public sealed record HeartbeatConfig
{
    public const int DefaultPort = 2526;

    public int PeriodMs { get; init; } = 100;

    public int Tolerance { get; init; } = 5;

    /// <summary>UDP port heartbeats are sent to, on the cluster network's broadcast address.</summary>
    public int Port { get; init; } = DefaultPort;

    public TimeSpan Period => TimeSpan.FromMilliseconds(PeriodMs);

    public TimeSpan DetectionTime => TimeSpan.FromMilliseconds((long)PeriodMs * Tolerance);
}
