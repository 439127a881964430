using System.CommandLine;
using OpenNlb.Cli.Lab;
using OpenNlb.Core.Configuration;
using OpenNlb.Lab;
using OpenNlb.Lab.Demo;

namespace OpenNlb.Cli;

/// <summary>`nlb demo`: a live cluster in the lab, traffic, a host lost and back, then cleanup.</summary>
internal static class DemoCommand
{
    public static Command Create(CancellationToken stop)
    {
        var mode = new Option<string>("--mode") { Description = "Cluster operation mode", DefaultValueFactory = _ => "unicast" };
        mode.AcceptOnlyFromAmong("unicast", "multicast");
        var name = new Option<string>("--name", "-n") { Description = "The lab to build (removed at the end)", DefaultValueFactory = _ => DemoRunner.DefaultLabName };
        var command = new Command("demo", "A live three-host cluster in the lab: traffic, a host crashing and taken back, a drainstop (needs root)") { mode, name };
        command.SetAction(parse => CliErrors.RunAsync(async () =>
        {
            if (Labs.MissingPrerequisite() is { } missing)
            {
                await Console.Error.WriteLineAsync($"nlb demo: {missing}");
                return CliErrors.Failure;
            }

            var runner = new DemoRunner(Console.Out, Enum.Parse<OperationMode>(parse.GetValue(mode)!, ignoreCase: true), parse.GetValue(name)!);
            return await runner.RunAsync(stop);
        }));
        return command;
    }
}
