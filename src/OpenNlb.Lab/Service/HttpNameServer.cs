using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OpenNlb.Lab.Service;

/// <summary>
/// HTTP/1.1 on a TCP port, answering every request with the host's name and closing. Written on
/// raw sockets to stay small and fast for connection-rate benchmarks: several accept loops on one
/// listener with a large backlog, one short task per connection, no allocation per request but the
/// socket itself.
/// </summary>
internal sealed class HttpNameServer(string name, int port, TextWriter log)
{
    /// <summary>The kernel caps it at net.core.somaxconn (4096 in a fresh namespace).</summary>
    private const int Backlog = 65535;

    /// <summary>Request headers beyond this are not read; the answer does not depend on them.</summary>
    private const int RequestLimit = 8192;

    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    private readonly byte[] response = Encoding.ASCII.GetBytes(
        $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {name.Length + 1}\r\nConnection: close\r\n\r\n{name}\n");

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Bind(new IPEndPoint(IPAddress.Any, port));
        listener.Listen(Backlog);
        log.WriteLine($"{name}: HTTP on 0.0.0.0:{port}");
        var loops = Enumerable.Range(0, Math.Max(2, Environment.ProcessorCount))
            .Select(_ => AcceptLoopAsync(listener, cancellationToken));
        await Task.WhenAll(loops);
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await listener.AcceptAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException e)
            {
                // Out of descriptors or memory: say so, breathe, go on serving.
                log.WriteLine($"{name}: accept failed: {e.SocketErrorCode}");
                await Task.Delay(10, CancellationToken.None);
                continue;
            }

            _ = ServeAsync(connection);
        }
    }

    private async Task ServeAsync(Socket connection)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(RequestLimit);
        try
        {
            using var timeout = new CancellationTokenSource(RequestTimeout);
            connection.NoDelay = true;
            if (await ReadRequestAsync(connection, buffer, timeout.Token))
            {
                _ = await connection.SendAsync(response, SocketFlags.None, timeout.Token);
            }

            connection.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away or never sent a request: nothing to answer.
        }
        finally
        {
            connection.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads until the blank line that ends the headers; true if anything was received.</summary>
    private static async Task<bool> ReadRequestAsync(Socket connection, byte[] buffer, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < RequestLimit)
        {
            var received = await connection.ReceiveAsync(buffer.AsMemory(filled, RequestLimit - filled), SocketFlags.None, cancellationToken);
            if (received == 0)
            {
                break;
            }

            var from = Math.Max(0, filled - 3);
            filled += received;
            if (buffer.AsSpan(from, filled - from).IndexOf("\r\n\r\n"u8) >= 0)
            {
                break;
            }
        }

        return filled > 0;
    }
}
