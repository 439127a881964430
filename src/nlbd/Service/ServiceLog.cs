using Microsoft.Extensions.Logging;

namespace OpenNlb.Daemon.Service;

/// <summary>What nlbd logs about the service manager (systemd), event ids 1700-1799.</summary>
internal static partial class ServiceLog
{
    [LoggerMessage(1700, LogLevel.Warning, "{Problem}")]
    public static partial void NotifyFailed(ILogger logger, string problem);

    [LoggerMessage(1701, LogLevel.Warning, "the node loop did not answer within {WaitMs:0} ms: no watchdog ping; systemd restarts nlbd after {WatchdogSec:0.#} s without one")]
    public static partial void LoopNotAnswering(ILogger logger, double waitMs, double watchdogSec);

    [LoggerMessage(1702, LogLevel.Information, "told systemd: ready{Watchdog}")]
    public static partial void Ready(ILogger logger, string watchdog);
}
