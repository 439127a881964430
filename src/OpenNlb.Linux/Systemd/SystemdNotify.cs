using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace OpenNlb.Linux.Systemd;

/// <summary>
/// sd_notify(3), written by hand: one datagram of "KEY=VALUE" lines to the Unix socket named by
/// $NOTIFY_SOCKET, which systemd sets for a Type=notify service. Microsoft.Extensions.Hosting.Systemd
/// would do this through the generic host, but it is not among the packages to be had here, and
/// nlbd has no generic host to hang it on; the protocol is a dozen lines (docs/service.md).
/// Without $NOTIFY_SOCKET (run by hand, by the lab, by a test) every call does nothing.
/// </summary>
public sealed class SystemdNotify : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _target;

    public SystemdNotify(string? address)
    {
        if (string.IsNullOrEmpty(address))
        {
            return;
        }

        Address = address;

        // '@' names a socket in the abstract namespace: its name is the rest, after a zero byte.
        _target = new UnixDomainSocketEndPoint(address[0] == '@' ? "\0" + address[1..] : address);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    /// <summary>$NOTIFY_SOCKET as systemd gave it, or null when nlbd was not started by systemd.</summary>
    public string? Address { get; }

    public static SystemdNotify FromEnvironment() => new(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"));

    /// <summary>
    /// The watchdog interval systemd asks for, as sd_watchdog_enabled(3) reads it: $WATCHDOG_USEC,
    /// meant for this process when $WATCHDOG_PID is unset or names it; null when there is none.
    /// </summary>
    public static TimeSpan? WatchdogInterval(string? usec, string? pid, int self)
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

    public static TimeSpan? WatchdogIntervalFromEnvironment() =>
        WatchdogInterval(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), Environment.GetEnvironmentVariable("WATCHDOG_PID"), Environment.ProcessId);

    /// <summary>The ruleset is in the kernel and the control socket listens: systemd may start what comes after nlbd.</summary>
    public string? Ready(string status) => Send($"READY=1\nSTATUS={status}");

    /// <summary>nlbd has begun its clean stop (leaving the cluster, removing its table, VIPs and MAC).</summary>
    public string? Stopping() => Send("STOPPING=1\nSTATUS=stopping: leaving the cluster");

    /// <summary>The loop is alive (WatchdogSec= in the unit).</summary>
    public string? Watchdog() => Send("WATCHDOG=1");

    /// <summary>Sends one notification; returns what went wrong, or null. A service manager that cannot be told is no reason to stop.</summary>
    public string? Send(string state)
    {
        if (_socket is null || _target is null)
        {
            return null;
        }

        try
        {
            _socket.SendTo(Encoding.UTF8.GetBytes(state), _target);
            return null;
        }
        catch (SocketException e)
        {
            return $"cannot notify the service manager at {Address}: {e.Message}";
        }
        catch (ObjectDisposedException)
        {
            return null;
        }
    }

    public void Dispose() => _socket?.Dispose();
}
