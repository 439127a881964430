using System.Net.Sockets;
using System.Text;

namespace OpenNlb.EndToEnd.Tests.Packaging;

/// <summary>
/// The service manager's end of $NOTIFY_SOCKET: a Unix datagram socket at a path, holding every
/// notification that arrives, so a test can wait for READY=1, WATCHDOG=1 and STOPPING=1.
/// </summary>
internal sealed class NotifyReceiver : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    private readonly List<string> _received = [];
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly string _path;

    public NotifyReceiver(string path)
    {
        _path = path;
        File.Delete(path);
        _socket.Bind(new UnixDomainSocketEndPoint(path));
        _ = ReceiveAsync();
    }

    /// <summary>Every datagram so far, in order.</summary>
    public IReadOnlyList<string> Received
    {
        get
        {
            lock (_lock)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Waits until a datagram has a line equal to <paramref name="line"/>; false at the deadline.</summary>
    public async Task<bool> WaitForAsync(string line, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Received.Any(d => d.Split('\n').Contains(line)))
            {
                return true;
            }

            await Task.Delay(20, ct);
        }

        return false;
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var n = await _socket.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                lock (_lock)
                {
                    _received.Add(Encoding.UTF8.GetString(buffer, 0, n));
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Dispose();
        _stop.Dispose();
        File.Delete(_path);
    }
}
