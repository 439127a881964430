using System.Net.Sockets;
using System.Text;

namespace OpenNlb.Lab.Control;

/// <summary>
/// The client side of nlbd's control socket: connect to the Unix stream socket, write one line of
/// JSON, read one line back, close. A Unix socket is reached by its path, whatever network
/// namespace the daemon runs in, so the lab talks to every host's nlbd from here.
/// </summary>
public static class ControlClient
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Whether something listens (or listened) at <paramref name="path"/>: the socket file exists.</summary>
    public static bool Exists(string path) => File.Exists(path);

    /// <summary>Sends one request line and returns the response line (without its newline).</summary>
    public static async Task<string> SendAsync(string path, string requestJson, TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (requestJson.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("a control request is one line of JSON", nameof(requestJson));
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), deadline.Token);
            _ = await socket.SendAsync(Encoding.UTF8.GetBytes(requestJson + "\n"), SocketFlags.None, deadline.Token);
            return await ReadLineAsync(socket, path, deadline.Token);
        }
        catch (SocketException e)
        {
            throw new LabException($"nlbd's control socket {path}: {e.SocketErrorCode} ({e.Message})", e);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"nlbd's control socket {path} did not answer {requestJson} within {timeout.TotalSeconds:0.#} s", e);
        }
    }

    private static async Task<string> ReadLineAsync(Socket socket, string path, CancellationToken cancellationToken)
    {
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
            var newline = Array.IndexOf(buffer, (byte)'\n', 0, n);
            received.AddRange(buffer.AsSpan(0, newline < 0 ? n : newline));
            if (newline >= 0 || n == 0)
            {
                return received.Count == 0 && n == 0
                    ? throw new LabException($"nlbd's control socket {path} closed without answering")
                    : Encoding.UTF8.GetString(received.ToArray());
            }

            if (received.Count > 1 << 20)
            {
                throw new LabException($"nlbd's control socket {path} answered more than 1 MiB without a newline");
            }
        }
    }
}
