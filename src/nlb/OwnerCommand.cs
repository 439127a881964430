using System.CommandLine;
using System.Globalization;
using System.Net;
using OpenNlb.Cli.Control;
using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Control;
using OpenNlb.Core.Query;
using OpenNlb.Lab;

namespace OpenNlb.Cli;

/// <summary>
/// `nlb owner CLIENT[:PORT] --port P`: which host serves a client flow, and why. Asked of a
/// running nlbd (the local one, --socket, or --lab NAME --host N), it answers from the map it has
/// adopted and what its kernel holds; computed offline (--lab NAME alone, or --config with
/// --members) it answers what the map of those members would say.
/// </summary>
internal static class OwnerCommand
{
    public static Command Create(CancellationToken ct)
    {
        var flow = new Argument<string>("client") { Description = "The client address, with its source port for affinity none: 198.51.100.7:51234 or [2001:db8::7]:51234" };
        var port = new Option<int>("--port") { Description = "Destination port on the VIP", Required = true };
        var proto = new Option<string>("--proto") { Description = "tcp or udp", DefaultValueFactory = _ => "tcp" };
        proto.AcceptOnlyFromAmong("tcp", "udp");
        var vip = new Option<string?>("--vip") { Description = "The VIP (default: the primary cluster IP)" };
        var target = new Target();
        target.Lab.Description = "With --host: ask that lab host's nlbd; alone: compute from the lab's configuration and running hosts";
        var config = new Option<string?>("--config") { Description = "Compute offline from a host's configuration file (with --members)" };
        var members = new Option<string?>("--members") { Description = "With --config: the live host priorities, e.g. 1,2,3 (assumed to use default per-rule settings)" };
        var command = new Command("owner", "Which host serves a client flow, and why: asked of a running nlbd (default), or computed offline") { flow, port, proto, vip, config, members };
        target.AddTo(command);
        command.SetAction(parse =>
        {
            var json = parse.GetValue(target.Json);
            return Answer.RunAsync(json, () => AskAsync(parse), response => Console.Write(OwnerFormatter.Format(response)));

            async Task<ControlResponse> AskAsync(ParseResult parse)
            {
                var clientText = parse.GetValue(flow)!;
                if (!OwnerRequest.TryParseClient(clientText, out var client, out var clientPort))
                {
                    throw new UsageException($"client: '{clientText}' is not an address or address:port (198.51.100.7:51234, [2001:db8::7]:51234)");
                }

                var vipText = parse.GetValue(vip);
                IPAddress? vipAddress = vipText is null ? null : IPAddress.TryParse(vipText, out var a) ? a : throw new UsageException($"--vip: '{vipText}' is not an IP address");
                var destination = parse.GetValue(port);
                if (destination is < 0 or > 65535)
                {
                    throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"--port: {destination} is outside 0..65535"));
                }

                var protocol = parse.GetValue(proto)!;
                if ((parse.GetValue(config) is not null || parse.GetValue(members) is not null)
                    && (parse.GetValue(target.Lab) is not null || parse.GetValue(target.Socket) is not null))
                {
                    throw new UsageException("say where to look once: --config with --members (offline), or --lab, or --socket");
                }

                var offline = parse.GetValue(config) is not null || parse.GetValue(members) is not null
                    || (parse.GetValue(target.Lab) is not null && parse.GetValue(target.Host) is null);
                if (!offline)
                {
                    return await ControlClient.SendAsync(
                        target.SocketPath(parse),
                        new ControlRequest { Command = ControlCall.Owner, Client = clientText, Vip = vipText, Port = destination, Protocol = protocol },
                        ct);
                }

                var (cluster, live) = parse.GetValue(target.Lab) is { } name
                    ? LabCluster.Read(name)
                    : FromConfig(parse.GetValue(config), parse.GetValue(members));
                var request = new OwnerRequest(client, clientPort, vipAddress, destination, protocol == "udp" ? Protocol.Udp : Protocol.Tcp);
                return new ControlResponse
                {
                    SchemaVersion = ControlResponse.CurrentSchemaVersion,
                    Ok = true,
                    Owner = OwnerExplainer.Offline(cluster, live, request.For(cluster)),
                };
            }
        });
        return command;
    }

    private static (ClusterConfig, IReadOnlyList<Member>) FromConfig(string? path, string? members)
    {
        if (path is null || members is null)
        {
            throw new UsageException("offline, say both --config FILE and --members 1,2,3 (or ask a running nlbd: leave both out)");
        }

        var result = ConfigLoader.Parse(File.ReadAllText(path));
        if (result.Config is not { } config)
        {
            throw new LabException($"{path}: {string.Join("; ", result.Errors)}");
        }

        var live = members.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(m => int.TryParse(m, CultureInfo.InvariantCulture, out var p) && p is >= 1 and <= 64
                ? p : throw new UsageException($"--members: '{m}' is not a host priority (1..64)"))
            .Distinct()
            .Select(p => p == config.Host.Priority
                ? HostRules.MemberOf(config)
                : new Member(p, config.Cluster.PortRules.Select(_ => new MemberRule(null, p)).ToList()))
            .ToList();
        return (config.Cluster, live);
    }
}
