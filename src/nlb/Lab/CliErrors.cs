using OpenNlb.Cli.Control;
using OpenNlb.Lab;
using OpenNlb.Lab.Processes;
using OpenNlb.Linux.Processes;

namespace OpenNlb.Cli.Lab;

/// <summary>Turns the lab's exceptions into one line on stderr and an exit code (docs/cli.md).</summary>
internal static class CliErrors
{
    /// <summary>Refused, or failed: the reason is printed.</summary>
    public const int Failure = 1;

    /// <summary>The command line cannot be carried out as written (System.CommandLine's parse errors too).</summary>
    public const int Usage = 2;

    public const int Interrupted = 130;

    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (UsageException e)
        {
            await Console.Error.WriteLineAsync($"nlb: {e.Message}");
            return Usage;
        }
        catch (Exception e) when (IsReported(e))
        {
            await Console.Error.WriteLineAsync($"nlb: {e.Message}");
            return Failure;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("nlb: interrupted");
            return Interrupted;
        }
    }

    /// <summary>A failure the CLI reports in one line, without a stack trace.</summary>
    public static bool IsReported(Exception e) =>
        e is LabException or CommandFailedException or TimeoutException or IOException or CliException;
}
