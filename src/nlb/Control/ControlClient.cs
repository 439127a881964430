using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using OpenNlb.Core.Control;

namespace OpenNlb.Cli.Control;

/// <summary>Sends one request to nlbd's control socket and reads the one-line answer.</summary>
internal static class ControlClient
{
    public const string DefaultSocket = "/run/opennlb/nlbd.sock";

    public static async Task<ControlResponse> SendAsync(string socketPath, ControlRequest request, CancellationToken ct)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
        }
        catch (SocketException e)
        {
            throw new CliException(e.SocketErrorCode switch
            {
                SocketError.AddressNotAvailable or SocketError.ConnectionRefused => $"nlbd is not running (nothing listens on {socketPath})",
                SocketError.AccessDenied => $"not allowed to use {socketPath}: run as root",
                _ => $"cannot reach nlbd at {socketPath}: {e.Message}",
            });
        }

        var line = JsonSerializer.SerializeToUtf8Bytes(request, ControlJsonContext.Default.ControlRequest);
        await socket.SendAsync(line.Append((byte)'\n').ToArray(), SocketFlags.None, ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var answer = new MemoryStream();
        var buffer = new byte[16384];
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            if (n == 0)
            {
                break;
            }

            answer.Write(buffer, 0, n);
            if (Array.IndexOf(buffer, (byte)'\n', 0, n) >= 0)
            {
                break;
            }
        }

        var text = Encoding.UTF8.GetString(answer.ToArray()).Trim();
        try
        {
            return JsonSerializer.Deserialize(text, ControlJsonContext.Default.ControlResponse)
                ?? throw new CliException("nlbd sent an empty answer");
        }
        catch (JsonException e)
        {
            throw new CliException($"nlbd's answer is not what this nlb understands ({e.Message}); are nlb and nlbd the same version?");
        }
    }
}

/// <summary>An error the CLI reports in one line, without a stack trace.</summary>
internal sealed class CliException(string message) : Exception(message);
