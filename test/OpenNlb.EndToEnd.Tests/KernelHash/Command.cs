using System.Diagnostics;

namespace OpenNlb.EndToEnd.Tests.KernelHash;

/// <summary>Runs a tool (ip, nft, conntrack) to completion and fails loudly when it fails.</summary>
internal static class Command
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public static async Task<string> RunAsync(
        string fileName, IReadOnlyList<string> arguments, string? standardInput, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardInput = standardInput is not null,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // nft, conntrack and ip live in /usr/sbin, which a non-login PATH may lack; `ip netns exec`
        // looks its command up on the same PATH.
        startInfo.Environment["PATH"] = $"{Environment.GetEnvironmentVariable("PATH")}:/usr/sbin:/sbin";
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var commandLine = $"{fileName} {string.Join(' ', arguments)}";
        using var process = Process.Start(startInfo)
            ?? throw new InvalidOperationException($"Could not start {commandLine}.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            if (standardInput is not null)
            {
                await process.StandardInput.WriteAsync(standardInput.AsMemory(), timeout.Token);
                process.StandardInput.Close();
            }

            var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
            var error = process.StandardError.ReadToEndAsync(timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"{commandLine} exited with {process.ExitCode}: {(await error).Trim()}");
            }

            return await output;
        }
        catch (OperationCanceledException)
        {
            // Only the process this call started.
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    /// <summary>The full path of a tool on PATH, or null when it is not installed.</summary>
    public static string? Find(string tool)
    {
        var path = $"{Environment.GetEnvironmentVariable("PATH")}:/usr/sbin:/sbin";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists);
    }
}
