using Microsoft.Extensions.Logging;
using OpenNlb.Linux.Systemd;

namespace OpenNlb.Daemon.Service;

/// <summary>
/// WATCHDOG=1 for the unit's WatchdogSec=, sent only while the node loop answers: every half
/// interval it asks the loop for a status snapshot (what `nlb query` asks) and pings systemd when
/// the answer comes within that half. A loop stuck in a kernel call gets no ping, and systemd kills
/// and restarts nlbd; meanwhile its lease lapses and the other hosts have already taken its buckets.
/// </summary>
internal static class ServiceWatchdog
{
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
