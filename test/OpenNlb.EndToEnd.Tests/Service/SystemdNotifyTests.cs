using System.Net.Sockets;
using System.Text;
using OpenNlb.Linux.Systemd;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.Service;

/// <summary>
/// sd_notify as nlbd speaks it, received on real Unix datagram sockets the way systemd receives it:
/// at a path, and in the abstract namespace ('@' in $NOTIFY_SOCKET). Needs no root.
/// </summary>
public sealed class SystemdNotifyTests
{
    [Fact]
    public void Ready_ArrivesAtAPathSocket_WithItsStatus()
    {
        var path = Path.Combine(Path.GetTempPath(), $"onlb-tp-notify-{Guid.NewGuid():N}.sock");
        try
        {
            using var receiver = Bind(new UnixDomainSocketEndPoint(path));
            using var notify = new SystemdNotify(path);

            Assert.Null(notify.Ready("host 1 of cluster 'lab' on eth0"));

            Assert.Equal("READY=1\nSTATUS=host 1 of cluster 'lab' on eth0", Receive(receiver));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AnAddressStartingWithAt_IsInTheAbstractNamespace()
    {
        var name = $"onlb-tp-notify-{Guid.NewGuid():N}";
        using var receiver = Bind(new UnixDomainSocketEndPoint("\0" + name));
        using var notify = new SystemdNotify("@" + name);

        Assert.Null(notify.Stopping());
        Assert.Null(notify.Watchdog());

        Assert.StartsWith("STOPPING=1\n", Receive(receiver), StringComparison.Ordinal);
        Assert.Equal("WATCHDOG=1", Receive(receiver));
        Assert.False(File.Exists("@" + name), "an abstract address must not become a file");
    }

    [Fact]
    public void WithoutNotifySocket_NothingIsSentAndNothingFails()
    {
        using var notify = new SystemdNotify(null);

        Assert.Null(notify.Address);
        Assert.Null(notify.Ready("x"));
        Assert.Null(notify.Stopping());
    }

    [Fact]
    public void ASocketNobodyListensOn_IsReportedNotThrown()
    {
        var path = Path.Combine(Path.GetTempPath(), $"onlb-tp-notify-{Guid.NewGuid():N}.sock");
        using var notify = new SystemdNotify(path);

        var problem = notify.Ready("x");

        Assert.NotNull(problem);
        Assert.Contains(path, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10000000", null, 10_000)]
    [InlineData("10000000", "", 10_000)]
    [InlineData("2000000", "4242", 2_000)]
    [InlineData("2000000", "4243", null)]
    [InlineData("0", null, null)]
    [InlineData(null, null, null)]
    [InlineData("ten", null, null)]
    [InlineData("-5", null, null)]
    [InlineData("2000000", "x", null)]
    public void WatchdogInterval_IsForThisProcessOnly(string? usec, string? pid, int? expectedMs)
    {
        var interval = SystemdNotify.WatchdogInterval(usec, pid, self: 4242);

        Assert.Equal(expectedMs, interval is { } i ? (int)i.TotalMilliseconds : null);
    }

    private static Socket Bind(UnixDomainSocketEndPoint endPoint)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(endPoint);
        socket.ReceiveTimeout = 5000;
        return socket;
    }

    private static string Receive(Socket socket)
    {
        var buffer = new byte[4096];
        return Encoding.UTF8.GetString(buffer, 0, socket.Receive(buffer));
    }
}
