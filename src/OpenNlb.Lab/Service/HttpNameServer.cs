using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OpenNlb.Lab.Service;

/// <summary>
/// HTTP/1.1 on a TCP port, answering every request with the host's name. Written on raw sockets
/// to stay small and fast for connection-rate benchmarks: several accept loops on one listener with
/// a large backlog, one short task per connection, no allocation per request but the socket itself.
/// A connection stays open for further requests (HTTP/1.1 keep-alive) unless the request says
/// `Connection: close` or is HTTP/1.0: the planned-change probe keeps hundreds of connections open,
/// each carrying a request every ~150 ms, to see whether a bucket move breaks any of them.
/// </summary>
internal sealed class HttpNameServer(string name, int port, TextWriter log)
{
    /// <summary>The kernel caps it at net.core.somaxconn (4096 in a fresh namespace).</summary>
    private const int Backlog = 65535;

    /// <summary>Request headers beyond this are not read; the answer does not depend on them.</summary>
    private const int RequestLimit = 8192;

    /// <summary>How long a connection may stay silent before (and between) requests.</summary>
    private static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(10);

    private readonly byte[] closing = Response(name, keepAlive: false);
    private readonly byte[] keepingAlive = Response(name, keepAlive: true);

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

    private static byte[] Response(string name, bool keepAlive) => Encoding.ASCII.GetBytes(
        $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {name.Length + 1}\r\nConnection: {(keepAlive ? "keep-alive" : "close")}\r\n\r\n{name}\n");

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

            _ = ServeAsync(connection, cancellationToken);
        }
    }

    private async Task ServeAsync(Socket connection, CancellationToken stop)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(RequestLimit);
        try
        {
            connection.NoDelay = true;
            var filled = 0;
            while (true)
            {
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(stop);
                idle.CancelAfter(IdleTimeout);
                var (end, received) = await ReadRequestAsync(connection, buffer, filled, idle.Token);
                if (end < 0)
                {
                    // The client closed (or sent headers we do not read to the end): answer a
                    // partial request as before keep-alive existed, then close.
                    if (received > 0)
                    {
                        _ = await connection.SendAsync(closing, SocketFlags.None, idle.Token);
                    }

                    break;
                }

                var keepAlive = WantsKeepAlive(buffer.AsSpan(0, end));
                _ = await connection.SendAsync(keepAlive ? keepingAlive : closing, SocketFlags.None, idle.Token);
                if (!keepAlive)
                {
                    break;
                }

                // Whatever followed the blank line is the start of the next request.
                filled = received - end;
                buffer.AsSpan(end, filled).CopyTo(buffer);
            }

            connection.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The client went away, or stayed silent too long: nothing to answer.
        }
        finally
        {
            connection.Dispose();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Reads until the blank line that ends the headers. Returns where the request ends (just past
    /// the blank line; -1 if the connection closed or the headers outgrew the buffer first) and
    /// how many bytes the buffer now holds.
    /// </summary>
    private static async Task<(int End, int Filled)> ReadRequestAsync(Socket connection, byte[] buffer, int filled, CancellationToken cancellationToken)
    {
        var searched = 0;
        while (true)
        {
            var end = buffer.AsSpan(searched, filled - searched).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                return (searched + end + 4, filled);
            }

            searched = Math.Max(0, filled - 3);
            if (filled == RequestLimit)
            {
                return (-1, filled);
            }

            var received = await connection.ReceiveAsync(buffer.AsMemory(filled, RequestLimit - filled), SocketFlags.None, cancellationToken);
            if (received == 0)
            {
                return (-1, filled);
            }

            filled += received;
        }
    }

    /// <summary>HTTP/1.1 keeps the connection open unless the request asks to close it.</summary>
    private static bool WantsKeepAlive(Span<byte> request)
    {
        var lineEnd = request.IndexOf("\r\n"u8);
        if (lineEnd < 0 || !request[..lineEnd].EndsWith("HTTP/1.1"u8))
        {
            return false;
        }

        // Header names and the token are case-insensitive; the request is not needed afterwards.
        _ = Ascii.ToLowerInPlace(request, out _);
        return request.IndexOf("\r\nconnection: close"u8) < 0 && request.IndexOf("\r\nconnection:close"u8) < 0;
    }
}
