using Microsoft.Extensions.Logging;

namespace OpenNlb.Daemon;

/// <summary>
/// Every event nlbd logs, with a stable event id: the table in docs/logging.md lists them all, and
/// a test checks that it does. Ids are never reused for another meaning.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "nlbd starting: host {Priority} of cluster '{Cluster}' on {Interface}, {Mode} mode, {Rules} port rules, heartbeat {PeriodMs} ms x {Tolerance}")]
    public static partial void Starting(ILogger logger, int priority, string cluster, string @interface, string mode, int rules, int periodMs, int tolerance);

    [LoggerMessage(1001, LogLevel.Information, "nlbd stopped; ruleset, VIPs and cluster MAC removed")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(1002, LogLevel.Warning, "cleanup incomplete: {Problem}")]
    public static partial void CleanupProblem(ILogger logger, string problem);

    [LoggerMessage(1003, LogLevel.Warning, "neighbours not told of the new MAC: {Problem}")]
    public static partial void AnnounceProblem(ILogger logger, string problem);

    [LoggerMessage(1004, LogLevel.Critical, "nlbd failed: {Message}")]
    public static partial void Failed(ILogger logger, Exception exception, string message);

    [LoggerMessage(1100, LogLevel.Information, "host {Priority} joined")]
    public static partial void PeerJoined(ILogger logger, int priority);

    [LoggerMessage(1101, LogLevel.Information, "host {Priority} left")]
    public static partial void PeerLeft(ILogger logger, int priority);

    [LoggerMessage(1102, LogLevel.Warning, "host {Priority} kept out: {Reason}")]
    public static partial void PeerExcluded(ILogger logger, int priority, string reason);

    [LoggerMessage(1103, LogLevel.Warning, "host priority {Priority} is used by two hosts: {Reason}")]
    public static partial void DuplicatePriority(ILogger logger, int priority, string reason);

    [LoggerMessage(1104, LogLevel.Debug, "datagram dropped: {Error}")]
    public static partial void HeartbeatRejected(ILogger logger, string error);

    [LoggerMessage(1105, LogLevel.Information, "state {State}{Reason}")]
    public static partial void StateChanged(ILogger logger, string state, string reason);

    [LoggerMessage(1200, LogLevel.Information, "converged: members [{Members}], default host {DefaultHost}, this host: {Owned}; {ConvergenceMs:0} ms after the change")]
    public static partial void Converged(ILogger logger, string members, int? defaultHost, string owned, double convergenceMs);

    [LoggerMessage(1201, LogLevel.Error, "applying the ruleset failed; the kernel keeps the previous one and the lease is not renewed: {Message}")]
    public static partial void ApplyFailed(ILogger logger, string message);

    [LoggerMessage(1202, LogLevel.Information, "adopted map {Counter}/{Issuer}: members [{Members}]")]
    public static partial void Adopted(ILogger logger, ulong counter, int issuer, string members);

    [LoggerMessage(1203, LogLevel.Debug, "kernel: {Owned}; {Foreign} foreign entries added; {ApplyMs:0.0} ms")]
    public static partial void KernelApplied(ILogger logger, string owned, int foreign, double applyMs);

    [LoggerMessage(1204, LogLevel.Information, "hand-over for epoch {Epoch}: {Flows} UDP flows, {Clients} affinity clients kept")]
    public static partial void HandoverCollected(ILogger logger, ulong epoch, int flows, int clients);

    [LoggerMessage(1208, LogLevel.Information, "took over host {Peers}: its buckets are served here from now on, on the map the cluster holds ({Buckets} buckets, {SilentMs:0} ms after its last heartbeat)")]
    public static partial void TookOver(ILogger logger, string peers, int buckets, double silentMs);

    [LoggerMessage(1209, LogLevel.Warning, "the lease lapsed: {GapMs} ms between two heartbeats, the lease is {LeaseMs} ms, so for {LapsedMs} ms this host took no new flow and answered no UDP (the loop and its watchdog were held up)")]
    public static partial void LeaseLapsed(ILogger logger, long gapMs, long leaseMs, long lapsedMs);

    [LoggerMessage(1210, LogLevel.Warning, "released every new flow until the hosts agree again: {Reason}")]
    public static partial void ReleasedEverything(ILogger logger, string reason);

    [LoggerMessage(1211, LogLevel.Warning, "the heartbeat watchdog runs at ordinary priority ({Error}): on a busy machine heartbeats may be late and the lease lapse; give nlbd CAP_SYS_NICE and allow real-time scheduling (the packaged unit does)")]
    public static partial void WatchdogNotRealtime(ILogger logger, string error);

    [LoggerMessage(1206, LogLevel.Warning, "the loop took {TotalMs:0} ms ({Events} events {EventsMs:0} ms, tick {TickMs:0} ms, kernel and sends {EffectsMs:0} ms, reporting {ReportMs:0} ms): heartbeats may be late")]
    public static partial void SlowLoop(ILogger logger, double totalMs, int events, double eventsMs, double tickMs, double effectsMs, double reportMs);

    [LoggerMessage(1207, LogLevel.Error, "listing this host's flows for the {What} failed, trying again: {Message}")]
    public static partial void InventoryFailed(ILogger logger, string what, string message);

    [LoggerMessage(1300, LogLevel.Error, "heartbeat send failed: {Message}")]
    public static partial void SendFailed(ILogger logger, string message);

    [LoggerMessage(1400, LogLevel.Information, "command {Command}: {Message}")]
    public static partial void CommandDone(ILogger logger, string command, string message);

    [LoggerMessage(1401, LogLevel.Warning, "control request refused: {Error}")]
    public static partial void ControlRefused(ILogger logger, string error);

    [LoggerMessage(1402, LogLevel.Error, "control socket: {Message}")]
    public static partial void ControlFailed(ILogger logger, string message);

    [LoggerMessage(1403, LogLevel.Information, "configuration reloaded from {Path}: {Changes}")]
    public static partial void Reloaded(ILogger logger, string path, string changes);

    [LoggerMessage(1404, LogLevel.Warning, "reload refused, the running configuration is kept ({Count} problem(s)): {Problems}")]
    public static partial void ReloadRefused(ILogger logger, int count, string problems);

    [LoggerMessage(1405, LogLevel.Warning, "remote command from host {Priority} refused: {Reason}")]
    public static partial void RemoteRefused(ILogger logger, int priority, string reason);

    [LoggerMessage(1406, LogLevel.Information, "cluster section staged from {Path} (fingerprint {Fingerprint}): {Changes}; switching when every live host has staged it, waiting for {Waiting}")]
    public static partial void ClusterStaged(ILogger logger, string path, string fingerprint, string changes, string waiting);

    [LoggerMessage(1407, LogLevel.Information, "switched to the staged cluster section (fingerprint {Fingerprint}, {Rules} port rules): every flow kept, new flows wait for the new map; {Ownership}")]
    public static partial void ClusterSwitched(ILogger logger, string fingerprint, int rules, string ownership);

    [LoggerMessage(1408, LogLevel.Error, "could not switch to the staged cluster section, the running one stays and the switch is tried again in 1 s: {Error}")]
    public static partial void ClusterSwitchFailed(ILogger logger, string error);

    [LoggerMessage(1409, LogLevel.Information, "staged cluster section dropped: {Why}")]
    public static partial void ClusterUnstaged(ILogger logger, string why);

    [LoggerMessage(1500, LogLevel.Information, "metrics at http://{Listen}/metrics")]
    public static partial void MetricsListening(ILogger logger, string listen);

    [LoggerMessage(1501, LogLevel.Information, "metrics endpoint off (host.metrics.enabled: false)")]
    public static partial void MetricsOff(ILogger logger);

    [LoggerMessage(1502, LogLevel.Error, "host.metrics.listen: cannot listen on {Listen}: {Message}; nothing was changed")]
    public static partial void MetricsCannotListen(ILogger logger, string listen, string message);

    [LoggerMessage(1503, LogLevel.Warning, "metrics endpoint: {Message}")]
    public static partial void MetricsProblem(ILogger logger, string message);

    [LoggerMessage(1504, LogLevel.Warning, "metrics: cannot read {Source}, its metrics are left out until it can be read again: {Message}")]
    public static partial void MetricsSourceFailed(ILogger logger, string source, string message);

    [LoggerMessage(1505, LogLevel.Information, "metrics: {Source} can be read again")]
    public static partial void MetricsSourceRecovered(ILogger logger, string source);
}
