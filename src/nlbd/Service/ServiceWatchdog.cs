using System.Globalization;
using Microsoft.Extensions.Logging;

namespace OpenNlb.Daemon.Service;

/// <summary>
/// WATCHDOG=1 for the unit's WatchdogSec=, sent only while the node loop answers: every half
/// interval it asks the loop for a status snapshot (what `nlb query` asks) and pings systemd when
/// the answer comes within that half. A loop stuck in a kernel call gets no ping, and systemd kills
/// and restarts nlbd; meanwhile its lease lapses and the other hosts have already taken its buckets.
/// </summary>
internal static class ServiceWatchdog
{
    /// <summary>
    /// The watchdog interval systemd asks for, as sd_watchdog_enabled(3) reads it: $WATCHDOG_USEC,
    /// meant for this process when $WATCHDOG_PID is unset or names it; null when there is none.
    /// </summary>
    public static TimeSpan? Interval(string? usec, string? pid, int self)
    {
        if (!ulong.TryParse(usec, NumberStyles.None, CultureInfo.InvariantCulture, out var microseconds) || microseconds == 0)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(pid) && (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var target) || target != self))
        {
            return null;
        }

        return TimeSpan.FromMicroseconds(Math.Min(microseconds, (ulong)TimeSpan.FromDays(1).TotalMicroseconds));
    }

    public static TimeSpan? IntervalFromEnvironment() =>
        Interval(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), Environment.GetEnvironmentVariable("WATCHDOG_PID"), Environment.ProcessId);

    /// <summary>Pings until <paramref name="ct"/> is cancelled (the clean stop has begun; systemd stops watching then).</summary>
    public static async Task RunAsync(SystemdNotify notify, TimeSpan interval, Func<Task<bool>> loopAnswers, ILogger log, CancellationToken ct)
    {
        var half = interval / 2;
        using var timer = new PeriodicTimer(half);
        try
        {
            do
            {
                bool alive;
                try
                {
                    alive = await loopAnswers().WaitAsync(half, ct);
                }
                catch (TimeoutException)
                {
                    alive = false;
                }

                if (!alive)
                {
                    ServiceLog.LoopNotAnswering(log, half.TotalMilliseconds, interval.TotalSeconds);
                }
                else if (notify.Watchdog() is { } problem)
                {
                    ServiceLog.NotifyFailed(log, problem);
                }
            }
            while (await timer.WaitForNextTickAsync(ct));
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }
}
