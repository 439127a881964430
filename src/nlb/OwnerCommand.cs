using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Text.Json;
using OpenNlb.Cli.Lab;
using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Query;
using OpenNlb.Lab;

namespace OpenNlb.Cli;

/// <summary>`nlb owner CLIENT[:PORT] --port P`: which host serves a client flow, and why.</summary>
internal static class OwnerCommand
{
    public static Command Create()
    {
        var flow = new Argument<string>("client") { Description = "The client address, with its source port for affinity none: 198.51.100.7:51234" };
        var port = new Option<int>("--port") { Description = "Destination port on the VIP", Required = true };
        var proto = new Option<string>("--proto") { Description = "tcp or udp", DefaultValueFactory = _ => "tcp" };
        proto.AcceptOnlyFromAmong("tcp", "udp");
        var vip = new Option<string?>("--vip") { Description = "The VIP (default: the primary cluster IP)" };
        var lab = new Option<string?>("--lab") { Description = "Ask about a running lab: its configuration and live hosts" };
        var config = new Option<string?>("--config") { Description = "A host's configuration file" };
        var members = new Option<string?>("--members") { Description = "With --config: the live host priorities, e.g. 1,2,3 (assumed to use default per-rule settings)" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("owner", "Which host serves a client flow, and why") { flow, port, proto, vip, lab, config, members, json };
        command.SetAction(parse => CliErrors.RunAsync(async () =>
        {
            var (cluster, live) = parse.GetValue(lab) is { } name
                ? LabCluster.Read(name)
                : FromConfig(parse.GetValue(config), parse.GetValue(members));
            var (client, clientPort) = ParseEndpoint(parse.GetValue(flow)!);
            var target = parse.GetValue(vip) is { } v ? ParseAddress(v, "--vip") : cluster.Vips[0];
            var protocol = parse.GetValue(proto) == "udp" ? Protocol.Udp : Protocol.Tcp;
            var map = BucketAllocator.Allocate(cluster, live);
            var answer = OwnerQuery.Explain(cluster, map, new FlowQuery(client, clientPort, target, parse.GetValue(port), protocol));
            var liveText = string.Join(' ', live.Select(m => m.Priority).Order());
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new { answer.Owner, Rule = answer.RuleName, answer.Bucket, Hash = answer.HashExpression, answer.Reason, Members = live.Select(m => m.Priority).Order() }, JsonOptions));
            }
            else
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"flow:    {client}:{clientPort} -> {target}:{parse.GetValue(port)}/{parse.GetValue(proto)}"));
                Console.WriteLine($"rule:    {answer.Reason}");
                if (answer.Bucket is { } b)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bucket:  {b} = {answer.HashExpression}"));
                }

                Console.WriteLine(answer.Owner is { } o ? $"owner:   host {o} (live hosts: {liveText})" : $"owner:   none (live hosts: {liveText})");
            }

            await Task.CompletedTask;
            return 0;
        }));
        return command;
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static (ClusterConfig, IReadOnlyList<Member>) FromConfig(string? path, string? members)
    {
        if (path is null || members is null)
        {
            throw new LabException("say where the cluster is: --lab NAME, or --config FILE with --members 1,2,3");
        }

        var result = ConfigLoader.Parse(File.ReadAllText(path));
        if (result.Config is not { } config)
        {
            throw new LabException($"{path}: {string.Join("; ", result.Errors)}");
        }

        var live = members.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(m => int.TryParse(m, CultureInfo.InvariantCulture, out var p) && p is >= 1 and <= 64
                ? p : throw new LabException($"--members: '{m}' is not a host priority (1..64)"))
            .Distinct()
            .Select(p => p == config.Host.Priority
                ? HostRules.MemberOf(config)
                : new Member(p, config.Cluster.PortRules.Select(_ => new MemberRule(null, p)).ToList()))
            .ToList();
        return (config.Cluster, live);
    }

    private static (IPAddress, int) ParseEndpoint(string text)
    {
        if (IPEndPoint.TryParse(text, out var endpoint) && (text.Contains('.', StringComparison.Ordinal) || text.StartsWith('[')))
        {
            return (endpoint.Address, endpoint.Port);
        }

        return (ParseAddress(text, "client"), 0);
    }

    private static IPAddress ParseAddress(string text, string what) =>
        IPAddress.TryParse(text, out var a) ? a : throw new LabException($"{what}: '{text}' is not an IP address");
}
