using System.Net.Sockets;
using System.Text.Json;
using OpenNlb.Core.Control;
using OpenNlb.Lab;

namespace OpenNlb.Cli.Control;

/// <summary>
/// Sends one request to nlbd's control socket and reads the one-line answer. The socket exchange
/// is the lab's (<see cref="OpenNlb.Lab.Control.ControlClient"/>); this adds the typed request and
/// answer and the CLI's wording of what went wrong.
/// </summary>
internal static class ControlClient
{
    public const string DefaultSocket = "/run/opennlb/nlbd.sock";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task<ControlResponse> SendAsync(string socketPath, ControlRequest request, CancellationToken ct)
    {
        string line;
        try
        {
            line = await OpenNlb.Lab.Control.ControlClient.SendAsync(
                socketPath, JsonSerializer.Serialize(request, ControlJsonContext.Default.ControlRequest), Timeout, ct);
        }
        catch (LabException e) when (e.InnerException is SocketException s)
        {
            throw new CliException(s.SocketErrorCode switch
            {
                SocketError.AddressNotAvailable or SocketError.ConnectionRefused => NotRunning(socketPath),
                SocketError.AccessDenied => $"not allowed to use {socketPath}: run as root",
                _ => $"cannot reach nlbd at {socketPath}: {s.Message}",
            });
        }

        try
        {
            return JsonSerializer.Deserialize(line, ControlJsonContext.Default.ControlResponse)
                ?? throw new CliException("nlbd sent an empty answer");
        }
        catch (JsonException e)
        {
            throw new CliException($"nlbd's answer is not what this nlb understands ({e.Message}); are nlb and nlbd the same version?");
        }
    }

    /// <summary>Says why nothing listens, when the path tells: a lab that is not up reads otherwise like a stopped nlbd.</summary>
    internal static string NotRunning(string socketPath)
    {
        var directory = Path.GetDirectoryName(socketPath);
        if (directory is null || Directory.Exists(directory))
        {
            return $"nlbd is not running (nothing listens on {socketPath})";
        }

        return Path.GetDirectoryName(directory) == LabPaths.Root
            ? $"no lab named '{Path.GetFileName(directory)}' is up ({directory} does not exist); `nlb lab list` shows the labs, `nlb lab up` builds one"
            : $"nlbd is not running (nothing listens on {socketPath}; {directory} does not exist)";
    }
}

/// <summary>An error the CLI reports in one line, without a stack trace.</summary>
internal sealed class CliException(string message) : Exception(message);
