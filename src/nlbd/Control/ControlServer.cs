using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using OpenNlb.Core.Control;

namespace OpenNlb.Daemon.Control;

/// <summary>
/// The control socket: a Unix stream socket, mode 0600 (root only; 0660 with the group given by
/// <c>--control-group</c>), one JSON request line in and
/// one JSON response line out per connection (docs/control.md). Requests are untrusted: bounded in
/// size and time, parsed by <see cref="ControlParser"/>, and a refused one changes nothing.
/// </summary>
internal sealed class ControlServer(string path, Func<ControlCall, Task<ControlResponse>> execute, ILogger log) : IDisposable
{
    private static readonly TimeSpan ClientTimeout = TimeSpan.FromSeconds(5);
    private readonly Socket _listener = new(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);

    /// <summary>A group whose members may use the socket too (mode 0660); null: root only.</summary>
    public uint? GroupId { get; init; }

    public void Start()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        if (File.Exists(path))
        {
            // Left by a daemon that died: nothing listens on it any more.
            File.Delete(path);
        }

        // Created with a umask that lets nobody else in, then bound: there is no window in which
        // another user could connect.
        var old = Interop.Umask(0x7F) /* 0177: owner only */;
        try
        {
            _listener.Bind(new UnixDomainSocketEndPoint(path));
        }
        finally
        {
            Interop.Umask(old);
        }

        if (GroupId is { } gid)
        {
            // Widened only after the bind, from 0600: never wider than asked for.
            if (Interop.Chown(path, 0, gid) != 0 || Interop.Chmod(path, 0x1B0 /* 0660 */) != 0)
            {
                throw new IOException($"cannot give group {gid} access to {path}: errno {Marshal.GetLastPInvokeError()}");
            }
        }

        _listener.Listen(16);
    }

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptAsync(ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException e)
            {
                Log.ControlFailed(log, e.Message);
                continue;
            }

            _ = ServeAsync(client, ct);
        }
    }

    private async Task ServeAsync(Socket client, CancellationToken ct)
    {
        using var _ = client;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ClientTimeout);
        try
        {
            var line = await ReadLineAsync(client, timeout.Token);
            var response = line is null
                ? Error($"request too large or not ended by a newline (at most {ControlParser.MaxRequestBytes} bytes)")
                : await HandleAsync(line);
            var bytes = JsonSerializer.SerializeToUtf8Bytes(response, ControlJsonContext.Default.ControlResponse);
            await client.SendAsync(bytes.Append((byte)'\n').ToArray(), SocketFlags.None, timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException)
        {
            // A client that hangs or goes away costs at most the timeout.
        }
    }

    private async Task<ControlResponse> HandleAsync(byte[] line)
    {
        var (call, error) = ControlParser.Parse(line);
        if (call is null)
        {
            Log.ControlRefused(log, error!);
            return Error(error!);
        }

        return await execute(call);
    }

    private static ControlResponse Error(string message) => ControlResponse.Failed(message);

    /// <summary>Reads up to the first newline; null when the request is larger than allowed or never ends.</summary>
    private static async Task<byte[]?> ReadLineAsync(Socket client, CancellationToken ct)
    {
        var buffer = new byte[ControlParser.MaxRequestBytes + 1];
        var length = 0;
        while (length < buffer.Length)
        {
            var n = await client.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, ct);
            if (n == 0)
            {
                break;
            }

            var newline = Array.IndexOf(buffer, (byte)'\n', length, n);
            length += n;
            if (newline >= 0)
            {
                return buffer[..newline];
            }
        }

        return length is > 0 and <= ControlParser.MaxRequestBytes ? buffer[..length] : null;
    }

    public void Dispose()
    {
        _listener.Dispose();
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
    }
}
