using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OpenNlb.Lab.Traffic;

/// <summary>
/// One long-lived TCP connection to VIP:80: a GET every interval over HTTP/1.1 keep-alive, each
/// answer naming the host. It ends at the first failure (a broken connection stays broken) or when
/// stopped.
/// </summary>
internal sealed class TcpFlow : IDisposable
{
    private static readonly byte[] Request = Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: vip\r\n\r\n");

    private readonly Socket socket;
    private readonly byte[] buffer = new byte[2048];
    private int filled;

    public TcpFlow(LabHandle lab, string node, IPAddress source)
    {
        socket = lab.OpenSocket(node, SocketType.Stream, ProtocolType.Tcp);
        socket.NoDelay = true;
        socket.Bind(new IPEndPoint(source, 0));
        Name = string.Create(CultureInfo.InvariantCulture, $"tcp {source}:{((IPEndPoint)socket.LocalEndPoint!).Port}");
    }

    public string Name { get; }

    public string? FirstHost { get; private set; }

    public long Answered => Interlocked.Read(ref answered);

    /// <summary>Set when the connection broke (or could not open): how. Read from other threads, so kept in one int.</summary>
    public FlowEventKind? Broken
    {
        get => Volatile.Read(ref broken) is var b and >= 0 ? (FlowEventKind)b : null;
        private set => Volatile.Write(ref broken, value is { } kind ? (int)kind : -1);
    }

    public bool SawWrongHost { get; private set; }

    private long answered;
    private int broken = -1;

    /// <summary>Connects and asks once; false (and <see cref="Broken"/> set) if that fails within the timeout.</summary>
    public async Task<bool> OpenAsync(IPAddress vip, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(vip, Service.LabService.HttpPort), deadline.Token);
            FirstHost = await AskAsync(deadline.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            Broken = Classify(e);
            return false;
        }
    }

    /// <summary>Asks every interval until stopped or broken; reports what went wrong through <paramref name="report"/>.</summary>
    public async Task RunAsync(Func<TimeSpan> nextInterval, TimeSpan answerTimeout, Action<FlowEventKind, string?> report, CancellationToken stop)
    {
        while (Broken is null)
        {
            try
            {
                await Task.Delay(nextInterval(), stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stop);
            deadline.CancelAfter(answerTimeout);
            try
            {
                var host = await AskAsync(deadline.Token);
                if (host != FirstHost)
                {
                    SawWrongHost = true;
                    report(FlowEventKind.TcpWrongHost, host);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopped while a request was in flight: not the connection's fault.
                return;
            }
            catch (Exception e) when (e is SocketException or IOException or OperationCanceledException)
            {
                var kind = Classify(e);
                Broken = kind;
                report(kind, null);
            }
        }
    }

    public void Dispose() => socket.Dispose();

    private static FlowEventKind Classify(Exception e) => e switch
    {
        OperationCanceledException => FlowEventKind.TcpTimedOut,
        SocketException { SocketErrorCode: SocketError.ConnectionReset } => FlowEventKind.TcpReset,
        EndOfStreamException => FlowEventKind.TcpClosed,
        _ => FlowEventKind.TcpError,
    };

    /// <summary>Sends one request and reads one response; returns its body (the host's name).</summary>
    private async Task<string> AskAsync(CancellationToken cancellationToken)
    {
        _ = await socket.SendAsync(Request, SocketFlags.None, cancellationToken);
        while (true)
        {
            if (TryTakeResponse(out var body))
            {
                Interlocked.Increment(ref answered);
                return body;
            }

            if (filled == buffer.Length)
            {
                throw new IOException($"{Name}: an HTTP response larger than {buffer.Length} bytes");
            }

            var n = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, cancellationToken);
            if (n == 0)
            {
                throw new EndOfStreamException($"{Name}: the server closed the connection");
            }

            filled += n;
        }
    }

    /// <summary>Takes one complete response (headers and Content-Length bytes of body) off the buffer.</summary>
    private bool TryTakeResponse(out string body)
    {
        body = "";
        var text = buffer.AsSpan(0, filled);
        var headerEnd = text.IndexOf("\r\n\r\n"u8);
        if (headerEnd < 0)
        {
            return false;
        }

        var headers = Encoding.ASCII.GetString(text[..headerEnd]);
        if (!headers.StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal))
        {
            throw new IOException($"{Name}: unexpected HTTP answer: {headers[..Math.Min(headers.Length, 80)]}");
        }

        var length = ContentLength(headers) ?? throw new IOException($"{Name}: an HTTP answer without Content-Length");
        var total = headerEnd + 4 + length;
        if (filled < total)
        {
            return false;
        }

        body = Encoding.ASCII.GetString(text[(headerEnd + 4)..total]).TrimEnd('\n');
        text[total..].CopyTo(buffer);
        filled -= total;
        return true;
    }

    private static int? ContentLength(string headers)
    {
        foreach (var line in headers.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)
                && int.TryParse(line.AsSpan(15).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                return n;
            }
        }

        return null;
    }
}
