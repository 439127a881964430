using OpenNlb.Core.Membership;

namespace OpenNlb.Core.Configuration;

/// <summary>
/// Heartbeat timing and the cluster key. A host is dropped when nothing was heard from it for
/// <see cref="Tolerance"/> periods (NLB: AliveMsgPeriod and AliveMsgTolerance). Exactly one of
/// <see cref="Key"/> and <see cref="KeyFile"/> is given; neither enters the fingerprint, which
/// travels in clear: a host with another key is simply refused as forged.
/// </summary>
public sealed record HeartbeatConfig
{
    public const int DefaultPort = 2526;

    public const int DefaultPeriodMs = 50;

    public const int DefaultTolerance = 5;

    public int PeriodMs { get; init; } = DefaultPeriodMs;

    public int Tolerance { get; init; } = DefaultTolerance;

    /// <summary>
    /// Survivors take a silent host's buckets at once, from heir sets written ahead, instead of
    /// waiting for a new map (docs/convergence.md, "Takeover"): failover p50 266 ms instead of
    /// 378 ms in the lab. Off by default: on a loaded machine a host whose heartbeats come late is
    /// taken over while it still serves, and for a moment two hosts answer its UDP flows.
    /// </summary>
    public bool Takeover { get; init; }

    /// <summary>UDP port heartbeats are sent to, on the cluster network's broadcast address.</summary>
    public int Port { get; init; } = DefaultPort;

    /// <summary>The cluster key itself (<c>key</c>, base64 in the file).</summary>
    public ClusterKey? Key { get; init; }

    /// <summary>
    /// An absolute path to a file holding the key in base64 (<c>keyFile</c>). The loader does not
    /// read it (it reads no files); nlbd does, with <see cref="ClusterKey.TryFromBase64"/>, and
    /// refuses a file that group or others may read.
    /// </summary>
    public string? KeyFile { get; init; }

    public TimeSpan Period => TimeSpan.FromMilliseconds(PeriodMs);

    public TimeSpan DetectionTime => TimeSpan.FromMilliseconds((long)PeriodMs * Tolerance);

    /// <summary>
    /// How long the kernel keeps accepting new flows after the daemon's last renewal: a period
    /// short of the detection time, so a host whose daemon died stops taking new flows a period
    /// before any other host may even notice (docs/convergence.md). It was two periods short: on a
    /// loaded machine a healthy host's lease then lapsed during long kernel moves, and its UDP
    /// flows went unanswered for a few milliseconds.
    /// </summary>
    public TimeSpan Lease => DetectionTime - Period;
}
