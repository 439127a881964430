using System.Net;
using System.Net.Sockets;
using System.Text;
using OpenNlb.Lab.Interop;

namespace OpenNlb.Lab;

/// <summary>
/// Asks a lab service which host it is, from inside a namespace, with sockets opened in that
/// namespace (no process spawned): what `up` waits on, and what a test uses to see which host took
/// a connection or a datagram.
/// </summary>
public static class LabProbe
{
    /// <summary>GET / over HTTP/1.1; returns the body without its newline (the host's name).</summary>
    public static async Task<string> HttpGetAsync(
        string ns, IPAddress target, int port, IPAddress? source, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var socket = NetNamespace.OpenSocket(ns, AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            Bind(socket, source);
            await socket.ConnectAsync(new IPEndPoint(target, port), deadline.Token);
            var request = Encoding.ASCII.GetBytes($"GET / HTTP/1.1\r\nHost: {target}\r\nConnection: close\r\n\r\n");
            _ = await socket.SendAsync(request, SocketFlags.None, deadline.Token);
            var response = await ReadToEndAsync(socket, deadline.Token);
            var headerEnd = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (!response.StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal) || headerEnd < 0)
            {
                throw new IOException($"unexpected HTTP answer from {target}:{port}: {response[..Math.Min(response.Length, 80)]}");
            }

            return response[(headerEnd + 4)..].TrimEnd('\n');
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no HTTP answer from {target}:{port} (from {ns}) within {timeout.TotalSeconds:0.#} s", e);
        }
    }

    /// <summary>
    /// Sends one datagram of <paramref name="payloadBytes"/> bytes and returns the answer without its
    /// newline. The socket is connected, so an answer from any other address than the target is not seen.
    /// </summary>
    public static async Task<string> UdpAskAsync(
        string ns, IPAddress target, int port, int payloadBytes, IPAddress? source, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var socket = NetNamespace.OpenSocket(ns, AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            Bind(socket, source);
            await socket.ConnectAsync(new IPEndPoint(target, port), deadline.Token);
            var payload = new byte[payloadBytes];
            payload.AsSpan().Fill((byte)'x');
            _ = await socket.SendAsync(payload, SocketFlags.None, deadline.Token);
            var answer = new byte[65536];
            var received = await socket.ReceiveAsync(answer, SocketFlags.None, deadline.Token);
            return Encoding.ASCII.GetString(answer, 0, received).TrimEnd('\n');
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no UDP answer from {target}:{port} (from {ns}) within {timeout.TotalSeconds:0.#} s", e);
        }
    }

    private static void Bind(Socket socket, IPAddress? source)
    {
        if (source is not null)
        {
            socket.Bind(new IPEndPoint(source, 0));
        }
    }

    private static async Task<string> ReadToEndAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        var text = new StringBuilder();
        int received;
        while ((received = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken)) > 0)
        {
            _ = text.Append(Encoding.ASCII.GetString(buffer, 0, received));
        }

        return text.ToString();
    }
}
