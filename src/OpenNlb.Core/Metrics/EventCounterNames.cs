namespace OpenNlb.Core.Metrics;

/// <summary>
/// The names of nlbd's event counters (<see cref="Status.HostStatus.Counters"/>) that the metrics
/// read. The status file and <c>nlb query --json</c> show the same names.
/// </summary>
public static class EventCounterNames
{
    public const string HeartbeatsSent = "heartbeats_sent";
    public const string HeartbeatsSentByWatchdog = "heartbeats_sent_by_watchdog";
    public const string HeartbeatsReceived = "heartbeats_received";

    /// <summary>Datagrams from live peers that never arrived: gaps in their sequence numbers.</summary>
    public const string HeartbeatsLost = "heartbeats_lost";

    /// <summary>Followed by the reason: <c>datagrams_rejected_forged</c>.</summary>
    public const string RejectedPrefix = "datagrams_rejected_";
    public const string SendFailures = "send_failures";
    public const string HandoverChunksSent = "handover_chunks_sent";
    public const string HandoverChunksReceived = "handover_chunks_received";
    public const string KernelUpdates = "kernel_updates";
    public const string KernelUpdateFailures = "kernel_update_failures";

    /// <summary>Times this host gave up every new flow at once because of a peer (event 1210).</summary>
    public const string ReleasesOfEverything = "releases_of_everything";

    /// <summary>Heartbeats that left later than the lease after the one before, and the sum of how long the lease was out.</summary>
    public const string LeaseLapses = "lease_lapses";
    public const string LeaseLapsedMsTotal = "lease_lapsed_ms_total";

    /// <summary>Convergences whose duration was measured, and the sum of those durations.</summary>
    public const string ConvergencesTimed = "convergences_timed";
    public const string ConvergenceMsTotal = "convergence_ms_total";

    /// <summary>Failovers (a peer fell silent, this host took it over or converged without it), and the sum of their durations.</summary>
    public const string Failovers = "failovers";
    public const string FailoverMsTotal = "failover_ms_total";
}
