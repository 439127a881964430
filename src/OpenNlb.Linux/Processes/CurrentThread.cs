using System.Runtime.InteropServices;

namespace OpenNlb.Linux.Processes;

/// <summary>Scheduling of the calling thread, which .NET does not expose on Linux.</summary>
public static class CurrentThread
{
    /// <summary>
    /// Moves the calling thread to the real-time round-robin class at <paramref name="priority"/>
    /// (1-99), as corosync does with its heartbeat: it then runs as soon as it wakes, ahead of
    /// every ordinary thread on the machine. Needs CAP_SYS_NICE (and no systemd RestrictRealtime).
    /// </summary>
    /// <returns>Null when done, else why not.</returns>
    public static unsafe string? TryRealtime(int priority)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(priority, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(priority, 99);
        var param = priority;
        return Interop.Libc.sched_setscheduler(0, Interop.Libc.SCHED_RR, &param) == 0
            ? null
            : Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
    }
}
