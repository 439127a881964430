using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Metrics;

namespace OpenNlb.Daemon.Metrics;

/// <summary>
/// The metrics endpoint: a TCP listener that answers <c>GET /metrics</c> and closes the connection.
/// Written on a socket rather than with Kestrel or HttpListener: one path, one method, no keep-alive,
/// and every limit in view (head size, time, connections). It runs on the thread pool; the page is
/// made without blocking the node loop (<see cref="MetricsSource"/>).
/// </summary>
internal sealed class MetricsServer : IDisposable
{
    private const int MaxConnections = 4;
    private const int MaxDrainBytes = 65536;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(15);

    private readonly TcpListener _listener;
    private int _open;

    private MetricsServer(TcpListener listener) => _listener = listener;

    public EndPoint Endpoint => _listener.LocalEndpoint;

    /// <summary>
    /// Binds at once, so that a port already in use stops nlbd before it touches the kernel.
    /// Null when the endpoint is off; false, logged, when it cannot listen.
    /// </summary>
    public static bool TryListen(MetricsConfig config, ILogger log, out MetricsServer? server)
    {
        server = null;
        if (!config.Enabled)
        {
            Log.MetricsOff(log);
            return true;
        }

        var listener = new TcpListener(config.Address, config.Port);
        if (config.Address.Equals(IPAddress.IPv6Any))
        {
            // "[::]" means every address, IPv4 ones too.
            listener.Server.DualMode = true;
        }

        try
        {
            listener.Start(backlog: 16);
        }
        catch (SocketException e)
        {
            listener.Dispose();
            Log.MetricsCannotListen(log, config.Listen, e.Message);
            return false;
        }

        server = new MetricsServer(listener);
        Log.MetricsListening(log, config.Listen);
        return true;
    }

    /// <summary>Accepts until <paramref name="stop"/>; each connection is served on its own, at most <see cref="MaxConnections"/> at a time.</summary>
    public async Task RunAsync(Func<CancellationToken, Task<string>> page, ILogger log, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (SocketException e)
            {
                Log.MetricsProblem(log, "accept: " + e.Message);
                await Task.Delay(100, CancellationToken.None);
                continue;
            }

            if (Interlocked.Increment(ref _open) > MaxConnections)
            {
                // A scraper needs one; more at once is a client misbehaving. Closing costs nothing.
                Interlocked.Decrement(ref _open);
                client.Dispose();
                continue;
            }

            _ = Task.Run(async () =>
            {
                try
                {
                    await ServeAsync(client, page, log, stop);
                }
                catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
                {
                    // The client went away or was too slow: nothing to tell it.
                }
                finally
                {
                    client.Dispose();
                    Interlocked.Decrement(ref _open);
                }
            });
        }
    }

    public void Dispose() => _listener.Dispose();

    private static async Task ServeAsync(Socket client, Func<CancellationToken, Task<string>> page, ILogger log, CancellationToken stop)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
        deadline.CancelAfter(RequestTimeout);
        var buffer = new byte[ScrapeRequest.MaxHeadBytes];
        var received = 0;
        var head = -1;
        while (head < 0)
        {
            if (received == buffer.Length)
            {
                await RespondAsync(client, "431 Request Header Fields Too Large", "text/plain", "request head too large\n", deadline.Token);
                return;
            }

            var n = await client.ReceiveAsync(buffer.AsMemory(received), SocketFlags.None, deadline.Token);
            if (n == 0)
            {
                return;
            }

            received += n;
            head = ScrapeRequest.HeadLength(buffer.AsSpan(0, received));
        }

        deadline.CancelAfter(ResponseTimeout);
        var answer = ScrapeRequest.Judge(buffer.AsSpan(0, head));
        switch (answer)
        {
            case ScrapeAnswer.Metrics or ScrapeAnswer.MetricsHeadersOnly:
                var text = await PageAsync(page, log, deadline.Token);
                await (text is null
                    ? RespondAsync(client, "503 Service Unavailable", "text/plain", "nlbd could not make the metrics page; see its log\n", deadline.Token)
                    : RespondAsync(client, "200 OK", PrometheusText.ContentType, text, deadline.Token, headersOnly: answer == ScrapeAnswer.MetricsHeadersOnly));
                break;
            case ScrapeAnswer.NotFound:
                await RespondAsync(client, "404 Not Found", "text/plain", $"not found; the metrics are at {ScrapeRequest.Path}\n", deadline.Token);
                break;
            case ScrapeAnswer.MethodNotAllowed:
                await RespondAsync(client, "405 Method Not Allowed", "text/plain", "only GET and HEAD\n", deadline.Token, extraHeader: "Allow: GET, HEAD\r\n");
                break;
            default:
                await RespondAsync(client, "400 Bad Request", "text/plain", "not an HTTP/1.x request\n", deadline.Token);
                break;
        }

        // Read what the client still sends (a request body), a little: closing with unread data
        // would reset the connection, and the client might lose the answer.
        client.Shutdown(SocketShutdown.Send);
        for (var drained = 0; drained < MaxDrainBytes;)
        {
            var n = await client.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
            if (n == 0)
            {
                break;
            }

            drained += n;
        }
    }

    private static async Task<string?> PageAsync(Func<CancellationToken, Task<string>> page, ILogger log, CancellationToken ct)
    {
        try
        {
            return await page(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Log.MetricsProblem(log, "no page: " + e.Message);
            return null;
        }
    }

    private static async Task RespondAsync(
        Socket client, string status, string contentType, string body, CancellationToken ct, bool headersOnly = false, string extraHeader = "")
    {
        var content = Encoding.UTF8.GetBytes(body);
        var headers = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status}\r\nContent-Type: {contentType}\r\nContent-Length: {content.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)}\r\n{extraHeader}Connection: close\r\n\r\n");
        await SendAllAsync(client, headers, ct);
        if (!headersOnly)
        {
            await SendAllAsync(client, content, ct);
        }
    }

    private static async Task SendAllAsync(Socket client, ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        while (!data.IsEmpty)
        {
            data = data[await client.SendAsync(data, SocketFlags.None, ct)..];
        }
    }
}
