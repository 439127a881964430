using System.ComponentModel;
using System.Diagnostics;

namespace OpenNlb.Linux.Processes;

/// <summary>
/// Runs external commands (ip, sysctl, ...) with a timeout, capturing their output. Every command
/// of the lab goes through here, so every failure names the command, its exit code and its stderr.
/// </summary>
public static class CommandRunner
{
    /// <summary>Runs the command; a non-zero exit code is returned, not thrown.</summary>
    public static async Task<CommandResult> RunAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        TimeSpan timeout,
        string? standardInput = null,
        CancellationToken cancellationToken = default)
    {
        var command = Format(fileName, arguments);
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = startInfo };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new CommandFailedException(command, null, "", $"could not start ({e.Message})", e);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(deadline.Token);
        var stderr = process.StandardError.ReadToEndAsync(deadline.Token);
        try
        {
            await WriteInputAsync(process, standardInput, deadline.Token);
            await process.WaitForExitAsync(deadline.Token);
            await Task.WhenAll(stdout, stderr);
        }
        catch (OperationCanceledException e)
        {
            Kill(process);
            cancellationToken.ThrowIfCancellationRequested();
            throw new CommandFailedException(command, null, "", $"timed out after {timeout.TotalSeconds:0.#} s and was killed", e);
        }

        return new CommandResult(command, process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs the command and throws <see cref="CommandFailedException"/> unless it exits 0.</summary>
    public static async Task<CommandResult> RunCheckedAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        TimeSpan timeout,
        string? standardInput = null,
        CancellationToken cancellationToken = default)
    {
        var result = await RunAsync(fileName, arguments, timeout, standardInput, cancellationToken);
        return result.ExitCode == 0
            ? result
            : throw new CommandFailedException(result.Command, result.ExitCode, result.StandardError, $"exited with code {result.ExitCode}");
    }

    /// <summary>The command as a shell would show it, for messages.</summary>
    public static string Format(string fileName, IEnumerable<string> arguments) =>
        string.Join(' ', arguments.Prepend(fileName).Select(ShellQuote.Quote));

    private static async Task WriteInputAsync(Process process, string? input, CancellationToken cancellationToken)
    {
        try
        {
            if (input is not null)
            {
                await process.StandardInput.WriteAsync(input.AsMemory(), cancellationToken);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The command exited without reading all of its input; its exit code tells the rest.
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
        }
    }
}
