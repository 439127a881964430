using System.Globalization;
using Microsoft.Extensions.Logging;
using OpenNlb.Linux.Systemd;

namespace OpenNlb.Daemon.Service;

/// <summary>
/// What nlbd tells systemd (Type=notify, packaging/nlbd.service): READY=1 once the first ruleset is
/// in the kernel and the control socket listens, WATCHDOG=1 while the loop answers, STOPPING=1 when
/// the clean stop begins. Does nothing when nlbd was not started by systemd.
/// </summary>
internal sealed class ServiceManager(ILogger log) : IDisposable
{
    private readonly SystemdNotify _notify = SystemdNotify.FromEnvironment();
    private int _stopping;

    public void Ready(string status, Func<Task<bool>> loopAnswers, CancellationToken stopping)
    {
        if (_notify.Address is null)
        {
            return;
        }

        var interval = SystemdNotify.WatchdogIntervalFromEnvironment();
        if (_notify.Ready(status) is { } problem)
        {
            ServiceLog.NotifyFailed(log, problem);
            return;
        }

        ServiceLog.Ready(log, interval is { } i ? string.Create(CultureInfo.InvariantCulture, $"; watchdog pings every {(i / 2).TotalSeconds:0.#} s") : "");
        if (interval is { } watchdog)
        {
            _ = ServiceWatchdog.RunAsync(_notify, watchdog, loopAnswers, log, stopping);
        }
    }

    /// <summary>Once, from the signal handler or from the cleanup after the loop, whichever comes first.</summary>
    public void Stopping()
    {
        if (Interlocked.Exchange(ref _stopping, 1) == 0 && _notify.Stopping() is { } problem)
        {
            ServiceLog.NotifyFailed(log, problem);
        }
    }

    public void Dispose() => _notify.Dispose();
}
