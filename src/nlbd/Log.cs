using Microsoft.Extensions.Logging;
using OpenNlb.Core.Membership;

namespace OpenNlb.Daemon;

/// <summary>Every event nlbd logs, with a stable event id (see docs/architecture.md).</summary>
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

    [LoggerMessage(1100, LogLevel.Information, "host {Priority} joined")]
    public static partial void PeerJoined(ILogger logger, int priority);

    [LoggerMessage(1101, LogLevel.Information, "host {Priority} left: {Reason}")]
    public static partial void PeerLeft(ILogger logger, int priority, string reason);

    [LoggerMessage(1102, LogLevel.Warning, "host {Priority} kept out: {Reason}")]
    public static partial void PeerExcluded(ILogger logger, int priority, string reason);

    [LoggerMessage(1103, LogLevel.Warning, "another host claims host priority {Priority} (incarnation {Incarnation:x}); its heartbeats are ignored")]
    public static partial void DuplicatePriority(ILogger logger, int priority, ulong incarnation);

    [LoggerMessage(1104, LogLevel.Debug, "heartbeat dropped: {Error}")]
    public static partial void HeartbeatRejected(ILogger logger, HeartbeatError error);

    [LoggerMessage(1200, LogLevel.Information, "converged: members [{Members}], default host {DefaultHost}, this host owns {Owned}; applied in {ApplyMs:0.0} ms")]
    public static partial void Converged(ILogger logger, string members, int? defaultHost, string owned, double applyMs);

    [LoggerMessage(1201, LogLevel.Error, "applying the ruleset failed; the kernel keeps the previous one: {Message}")]
    public static partial void ApplyFailed(ILogger logger, string message);

    [LoggerMessage(1300, LogLevel.Error, "heartbeat send failed: {Message}")]
    public static partial void SendFailed(ILogger logger, string message);
}
