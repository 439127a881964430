using System.CommandLine;
using OpenNlb.Cli.Lab;
using OpenNlb.Core.Configuration;
using OpenNlb.Lab;
using OpenNlb.Lab.Bench;

namespace OpenNlb.Cli;

/// <summary>`nlb bench convergence`: parses, runs <see cref="ConvergenceBench"/> in the lab.</summary>
internal static class BenchCommand
{
    public static Command Create(CancellationToken stop)
    {
        var bench = new Command("bench", "Benchmarks in the lab (need root).");
        bench.Subcommands.Add(Convergence(stop));
        return bench;
    }

    private static Command Convergence(CancellationToken stop)
    {
        var crashes = new Option<int>("--crashes") { Description = "Crashes to time (kill -9 and link down)", DefaultValueFactory = _ => 20 };
        var name = new Option<string>("--name", "-n") { Description = "The lab to build (removed at the end)", DefaultValueFactory = _ => "conv" };
        var mode = new Option<string>("--mode") { Description = "Cluster operation mode", DefaultValueFactory = _ => "unicast" };
        mode.AcceptOnlyFromAmong("unicast", "multicast");
        var clusterChangeOnly = new Option<bool>("--cluster-change-only") { Description = "Measure only a change of the port rules: switched live on every host, then by restarting every host" };
        var command = new Command(
            "convergence",
            "Failover times over many crashes, connections broken by a join, a drainstop, a weight change and a change of the port rules, heartbeat bytes per second, and the same for the static nftables recipe")
        {
            crashes, name, mode, clusterChangeOnly,
        };
        command.SetAction(parse => CliErrors.RunAsync(async () =>
        {
            if (Labs.MissingPrerequisite() is { } missing)
            {
                await Console.Error.WriteLineAsync($"nlb bench: {missing}");
                return CliErrors.Failure;
            }

            var options = new ConvergenceBenchOptions
            {
                Name = parse.GetValue(name)!,
                Crashes = parse.GetValue(crashes),
                Mode = Enum.Parse<OperationMode>(parse.GetValue(mode)!, ignoreCase: true),
                ClusterChangeOnly = parse.GetValue(clusterChangeOnly),
            };
            return await new ConvergenceBench(Console.Out, options).RunAsync(stop);
        }));
        return command;
    }
}
