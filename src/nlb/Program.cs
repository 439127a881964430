using System.CommandLine;
using System.Runtime.InteropServices;
using OpenNlb.Cli.Lab;

namespace OpenNlb.Cli;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        // Ctrl-C and SIGTERM cancel the running command, which then cleans up (a half-built lab is
        // torn down) instead of the process vanishing mid-way.
        using var stop = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Cancel);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Cancel);

        var root = new RootCommand("OpenNLB: Windows Network Load Balancing's model on Linux.")
        {
            LabCommand.Create(stop.Token),
            DemoCommand.Create(stop.Token),
            OwnerCommand.Create(stop.Token),
            Ip2MacCommand.Create(),
            BenchCommand.Create(stop.Token),
        };
        foreach (var command in Control.HostCommands.Create(stop.Token))
        {
            root.Subcommands.Add(command);
        }

        // A command line that does not parse exits 2, as usage errors do by convention; 1 is kept
        // for a command that was understood and refused or failed (docs/cli.md).
        var parse = root.Parse(args);
        var code = await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, stop.Token);
        return parse.Errors.Count > 0 ? CliErrors.Usage : code;

        void Cancel(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Cancel();
        }
    }
}
