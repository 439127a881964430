using System.CommandLine;
using OpenNlb.Cli.Control;
using OpenNlb.Cli.Lab;
using OpenNlb.Linux.Files;

namespace OpenNlb.Cli.Check;

/// <summary>`nlb check [FILE...]`: are these host configurations valid, and do they make one cluster?</summary>
internal static class CheckCommand
{
    public const string DefaultFile = "/etc/opennlb/nlbd.yaml";

    public static Command Create()
    {
        var files = new Argument<string[]>("file")
        {
            Description = $"Host configuration files (default {DefaultFile}); give every host's to check that they make one cluster",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command("check", "Check configuration files with nlbd's loader, touching nothing: every error, and whether several hosts' files make one cluster (no daemon needed)") { files };
        command.SetAction(parse => CliErrors.RunAsync(async () =>
        {
            var paths = parse.GetValue(files) is { Length: > 0 } given ? given : [DefaultFile];
            var read = new List<(string, string)>();
            foreach (var path in paths)
            {
                if (!File.Exists(path))
                {
                    throw new CliException(parse.GetValue(files) is not { Length: > 0 }
                        ? $"{path}: no such file; name the files to check: nlb check FILE..."
                        : $"{path}: no such file");
                }

                read.Add((path, await File.ReadAllTextAsync(path)));
            }

            var (ok, lines) = ConfigCheck.Run(read, heartbeat => (ClusterKeySource.Load(heartbeat, out var problem), problem));
            foreach (var line in lines)
            {
                await Console.Out.WriteLineAsync(line);
            }

            if (!ok)
            {
                await Console.Error.WriteLineAsync("nlb: check: not usable as it is (the lines above say why)");
            }

            return ok ? 0 : CliErrors.Failure;
        }));
        return command;
    }
}
