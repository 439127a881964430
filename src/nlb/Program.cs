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

        var root = Root(stop.Token);

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

    /// <summary>Every command, nlb.exe's first (in its order), then the lab's.</summary>
    internal static RootCommand Root(CancellationToken ct)
    {
        var root = new RootCommand("OpenNLB: Windows Network Load Balancing's model on Linux. `nlb COMMAND --help` for each command; docs/cli.md for all of them.");
        foreach (var command in Control.HostCommands.Create(ct))
        {
            root.Subcommands.Add(command);
        }

        root.Subcommands.Add(OwnerCommand.Create(ct));
        root.Subcommands.Add(Ip2MacCommand.Create());
        root.Subcommands.Add(Check.CheckCommand.Create());
        root.Subcommands.Add(LabCommand.Create(ct));
        root.Subcommands.Add(DemoCommand.Create(ct));
        root.Subcommands.Add(BenchCommand.Create(ct));
        return root;
    }
}
