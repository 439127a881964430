using System.Diagnostics;

namespace OpenNlb.Linux.Processes;

/// <summary>Runs an external program with a time limit and captures what it prints.</summary>
public static class Command
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Runs the command; throws <see cref="CommandFailedException"/> unless it exits 0.</summary>
    public static async Task<string> RunCheckedAsync(string program, IEnumerable<string> args, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        var argv = args.ToList();
        var result = await RunAsync(program, argv, timeout, ct);
        if (result.ExitCode != 0)
        {
            throw new CommandFailedException(
                $"'{program} {string.Join(' ', argv)}' exited with {result.ExitCode}: {result.StandardError.Trim()}");
        }

        return result.StandardOutput;
    }

    public static async Task<CommandResult> RunAsync(string program, IEnumerable<string> args, TimeSpan? timeout = null, CancellationToken ct = default)
    {
        var psi = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)
            ?? throw new CommandFailedException($"could not start '{program}'");
        process.StandardInput.Close();
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout ?? DefaultTimeout);
        var stdout = process.StandardOutput.ReadToEndAsync(limit.Token);
        var stderr = process.StandardError.ReadToEndAsync(limit.Token);
        try
        {
            await process.WaitForExitAsync(limit.Token);
            return new CommandResult(process.ExitCode, await stdout, await stderr);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new CommandFailedException(
                $"'{program} {string.Join(' ', psi.ArgumentList)}' did not finish within {(timeout ?? DefaultTimeout).TotalSeconds:0.#} s");
        }
    }
}
