using OpenNlb.Lab;
using OpenNlb.Lab.Processes;
using OpenNlb.Linux.Processes;

namespace OpenNlb.Cli.Lab;

/// <summary>Turns the lab's exceptions into one line on stderr and an exit code.</summary>
internal static class CliErrors
{
    public const int Failure = 1;
    public const int Interrupted = 130;

    public static async Task<int> RunAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is LabException or CommandFailedException or TimeoutException or IOException or Control.CliException)
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
}
