using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OpenNlb.EndToEnd.Tests.DataPlane;

/// <summary>
/// A TCP echo server on a listener opened inside a host's namespace, answering "host:text" on
/// every receive of a connection that stays open: what a long-lived connection needs, which the
/// lab's HTTP service (one answer, then close) is not.
/// </summary>
internal sealed class EchoServer : IAsyncDisposable
{
    private readonly Socket listener;
    private readonly string name;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public EchoServer(Socket listener, string name, int port)
    {
        this.listener = listener;
        this.name = name;
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new IPEndPoint(IPAddress.Any, port));
        listener.Listen(64);
        loop = AcceptAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Dispose();
        try
        {
            await loop;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopped.
        }

        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            var connection = await listener.AcceptAsync(stop.Token);
            _ = ServeAsync(connection);
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        using (connection)
        {
            var buffer = new byte[1024];
            try
            {
                int received;
                while ((received = await connection.ReceiveAsync(buffer, SocketFlags.None, stop.Token)) > 0)
                {
                    var answer = Encoding.ASCII.GetBytes($"{name}:{Encoding.ASCII.GetString(buffer, 0, received)}");
                    _ = await connection.SendAsync(answer, SocketFlags.None, stop.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                // The client went away, or the server stops.
            }
        }
    }
}
