using System.CommandLine;
using System.Text.Json;
using OpenNlb.Cli.Control;
using OpenNlb.Core.Configuration;
using OpenNlb.Lab;
using OpenNlb.Lab.Model;
using OpenNlb.Lab.Service;

namespace OpenNlb.Cli.Lab;

/// <summary>`nlb lab ...`: parses, calls OpenNlb.Lab, formats. No lab logic here.</summary>
internal static class LabCommand
{
    public static Command Create(CancellationToken stop)
    {
        var lab = new Command("lab", "An OpenNLB cluster on this machine, in network namespaces (needs root).");
        lab.Subcommands.Add(Up(stop));
        lab.Subcommands.Add(Down(stop));
        lab.Subcommands.Add(Status(stop));
        lab.Subcommands.Add(List());
        lab.Subcommands.Add(Exec());
        lab.Subcommands.Add(Serve(stop));
        return lab;
    }

    // --lab too: the host commands (query, reload, ...) name a lab with --lab, and a user who
    // just typed one form should not be refused the other.
    private static Option<string> NameOption() => new("--name", "-n", "--lab")
    {
        Description = "The lab's name (the cluster's name too, unless --config files name it)",
        DefaultValueFactory = _ => "lab",
    };

    private static Command Up(CancellationToken stop)
    {
        var name = NameOption();
        var hosts = new Option<int>("--hosts") { Description = "Cluster hosts h1..hN", DefaultValueFactory = _ => 3 };
        var clients = new Option<int>("--clients") { Description = "Clients c1..cM", DefaultValueFactory = _ => 2 };
        var mode = new Option<string>("--mode") { Description = "Cluster operation mode", DefaultValueFactory = _ => "unicast" };
        mode.AcceptOnlyFromAmong("unicast", "multicast");
        var noNlbd = new Option<bool>("--no-nlbd") { Description = "Do not start nlbd: nothing owns the VIP" };
        var clientAddresses = new Option<int>("--client-addresses")
        {
            Description = "Extra source addresses per client, from 198.51.100.0/24 and 203.0.113.0/24",
        };
        var nlbd = new Option<string?>("--nlbd") { Description = "nlbd binary (default: $NLBD, else artifacts/bin/nlbd/debug/nlbd in a checkout, else the installed nlbd)" };
        var configs = new Option<string[]>("--config")
        {
            Description = "Your own host configuration files instead of generated ones, one per host (host i is the file with host.priority i, on eth0 with 192.0.2.(10+i)/24); the mode and VIP come from them",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("up", "Build a lab and start its services and nlbd") { name, hosts, clients, mode, noNlbd, clientAddresses, nlbd, configs };
        command.SetAction(parse => CliErrors.RunAsync(async () =>
        {
            var files = parse.GetValue(configs) ?? [];
            if (files.Length > 0 && parse.GetResult(mode) is { Implicit: false })
            {
                throw new UsageException("--mode: with --config the mode is the files' cluster.mode");
            }

            var options = new LabOptions
            {
                Name = parse.GetValue(name)!,
                Hosts = files.Length > 0 && parse.GetResult(hosts) is null or { Implicit: true } ? files.Length : parse.GetValue(hosts),
                ConfigFiles = files,
                Clients = parse.GetValue(clients),
                Mode = Enum.Parse<OperationMode>(parse.GetValue(mode)!, ignoreCase: true),
                NoNlbd = parse.GetValue(noNlbd),
                ClientAddresses = parse.GetValue(clientAddresses),
                NlbdPath = parse.GetValue(nlbd),
            };
            var handle = await Labs.UpAsync(options, stop);
            Console.Write(LabFormatter.Up(handle.Description, handle.Paths));
            return 0;
        }));
        return command;
    }

    private static Command Down(CancellationToken stop)
    {
        var name = NameOption();
        var all = new Option<bool>("--all") { Description = "Tear down every lab on this machine" };
        var command = new Command("down", "Stop a lab's processes, delete its namespaces and its state") { name, all };
        command.SetAction(parse => CliErrors.RunAsync(async () =>
        {
            var reports = parse.GetValue(all)
                ? await Labs.DownAllAsync(stop)
                : [await Labs.DownAsync(parse.GetValue(name)!, stop)];
            Console.Write(LabFormatter.Down(reports));
            return 0;
        }));
        return command;
    }

    private static Command Status(CancellationToken stop)
    {
        var name = NameOption();
        var json = new Option<bool>("--json") { Description = "Print the status as JSON" };
        var command = new Command("status", "Show the lab's nodes, addresses, processes and cluster state") { name, json };
        command.SetAction(parse => CliErrors.RunAsync(async () =>
        {
            var status = await Labs.StatusAsync(parse.GetValue(name)!, stop);
            Console.Write(parse.GetValue(json)
                ? JsonSerializer.Serialize(status, LabJsonContext.Default.LabStatus) + "\n"
                : LabFormatter.Status(status));
            return 0;
        }));
        return command;
    }

    private static Command List()
    {
        var command = new Command("list", "List the labs on this machine");
        command.SetAction(_ =>
        {
            foreach (var lab in Labs.List())
            {
                Console.WriteLine(lab);
            }
        });
        return command;
    }

    private static Command Exec()
    {
        var name = NameOption();
        var node = new Argument<string>("node") { Description = "sw, h1..hN or c1..cM" };
        var argv = new Argument<string[]>("command")
        {
            Description = "The command and its arguments, after --",
            Arity = ArgumentArity.OneOrMore,
        };
        var command = new Command("exec", "Run a command in a node of the lab: nlb lab exec c1 -- curl -s http://192.0.2.100/") { name, node, argv };
        command.SetAction(parse => CliErrors.RunAsync(() =>
            Labs.ExecAttachedAsync(parse.GetValue(name)!, parse.GetValue(node)!, parse.GetValue(argv)!)));
        return command;
    }

    private static Command Serve(CancellationToken stop)
    {
        var name = new Option<string>("--name") { Description = "The name to answer with", Required = true };
        var httpPort = new Option<int>("--http-port") { Description = "TCP port of the HTTP service that answers with the host's name", DefaultValueFactory = _ => LabService.HttpPort };
        var udpPort = new Option<int>("--udp-port") { Description = "UDP port of the echo service that answers with the host's name", DefaultValueFactory = _ => LabService.UdpPort };
        var command = new Command("serve", "The lab service (run by `up` in each host)") { name, httpPort, udpPort };
        command.Hidden = true;
        command.SetAction(async parse =>
        {
            await LabService.RunAsync(parse.GetValue(name)!, parse.GetValue(httpPort), parse.GetValue(udpPort), Console.Out, stop);
            return 0;
        });
        return command;
    }
}
