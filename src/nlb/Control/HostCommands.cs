using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using OpenNlb.Cli.Lab;
using OpenNlb.Core.Control;
using OpenNlb.Core.Status;

namespace OpenNlb.Cli.Control;

/// <summary>
/// NLB's host and port-rule operations, named as nlb.exe names them: query, start, stop,
/// drainstop, suspend, resume, enable, disable, drain (and weight). Each talks to the local nlbd's
/// control socket, or to host N of a lab with <c>--lab NAME --host N</c>.
/// </summary>
internal static class HostCommands
{
    public static IEnumerable<Command> Create(CancellationToken ct)
    {
        yield return Simple("query", "Show this host's state and its view of the cluster", "query", ct);
        yield return Simple("start", "Start cluster operations on this host", "start", ct);
        yield return Simple("stop", "Stop cluster operations now: this host's connections are dropped", "stop", ct);
        yield return DrainStop(ct);
        yield return Simple("suspend", "Stop, and refuse start/stop/drainstop until resume", "suspend", ct);
        yield return Simple("resume", "Resume after suspend (the host stays stopped until start)", "resume", ct);
        yield return PerRule("enable", "Take new flows of a port rule again", ct);
        yield return PerRule("disable", "Take no traffic of a port rule: its flows on this host are dropped", ct);
        yield return PerRule("drain", "Take no new flows of a port rule; keep the existing ones", ct);
        yield return Weight(ct);
        yield return Simple("reload", "Read this host's configuration file again and apply it without a restart (an invalid one changes nothing)", "reload", ct);
    }

    private static Command Simple(string name, string description, string command, CancellationToken ct)
    {
        var target = new Target();
        var cmd = new Command(name, description);
        target.AddTo(cmd);
        cmd.SetAction(parse => RunAsync(target, parse, new ControlRequest { Command = command }, ct));
        return cmd;
    }

    private static Command DrainStop(CancellationToken ct)
    {
        var target = new Target();
        var timeout = new Option<double?>("--timeout") { Description = "Stop after this many seconds even if flows remain" };
        var cmd = new Command("drainstop", "Take no new flows; stop when the existing ones end (or at --timeout)") { timeout };
        target.AddTo(cmd);
        cmd.SetAction(parse => RunAsync(target, parse, new ControlRequest { Command = "drainstop", TimeoutSeconds = parse.GetValue(timeout) }, ct));
        return cmd;
    }

    private static Command PerRule(string name, string description, CancellationToken ct)
    {
        var target = new Target();
        var rule = new Argument<string>("rule") { Description = "A port rule's name, or all" };
        var cmd = new Command(name, description) { rule };
        target.AddTo(cmd);
        cmd.SetAction(parse => RunAsync(target, parse, new ControlRequest { Command = name, Rule = parse.GetValue(rule) }, ct));
        return cmd;
    }

    private static Command Weight(CancellationToken ct)
    {
        var target = new Target();
        var rule = new Argument<string>("rule") { Description = "A port rule's name, or all" };
        var weight = new Argument<int>("weight") { Description = "Load weight 0..100" };
        var cmd = new Command("weight", "Change this host's load weight for a port rule (moves buckets without breaking flows)") { rule, weight };
        target.AddTo(cmd);
        cmd.SetAction(parse => RunAsync(target, parse, new ControlRequest { Command = "weight", Rule = parse.GetValue(rule), Weight = parse.GetValue(weight) }, ct));
        return cmd;
    }

    private static Task<int> RunAsync(Target target, ParseResult parse, ControlRequest request, CancellationToken ct) => CliErrors.RunAsync(async () =>
    {
        request = target.Scope(parse, request);
        var response = await ControlClient.SendAsync(target.SocketPath(parse), request, ct);
        if (parse.GetValue(target.Json))
        {
            Console.WriteLine(JsonSerializer.Serialize(response, ControlJsonContext.Default.ControlResponse));
            return response.Ok ? 0 : CliErrors.Failure;
        }

        foreach (var host in response.Hosts ?? [])
        {
            Console.WriteLine(host.Ok
                ? $"host {host.Host}: {host.Message} [{host.State}]"
                : $"host {host.Host}: refused: {host.Error}{(host.State is null ? string.Empty : $" [{host.State}]")}");
        }

        if (!response.Ok)
        {
            // One host's refusal was just printed with its host; a summary adds nothing to it.
            if (response.Hosts is not { Count: 1 })
            {
                await Console.Error.WriteLineAsync($"nlb: {response.Error}");
            }

            return CliErrors.Failure;
        }

        if (response.Hosts is { Count: > 0 })
        {
            return 0;
        }

        if (response.Message is { } message)
        {
            Console.WriteLine(message);
        }

        if (request.Command == "query" && response.Status is { } status)
        {
            Console.Write(QueryFormatter.Format(status));
        }

        return 0;
    });

    /// <summary>Where the command goes: --socket, or host N of a lab, or the default socket.</summary>
    private sealed class Target
    {
        public Option<string?> Socket { get; } = new("--socket") { Description = "nlbd's control socket (default " + ControlClient.DefaultSocket + ")" };

        public Option<string?> Lab { get; } = new("--lab") { Description = "Talk to a host of a running lab" };

        public Option<int?> Host { get; } = new("--host") { Description = "With --lab: the host number (1, 2, ...)" };

        public Option<bool> Json { get; } = new("--json") { Description = "Print the answer as JSON (docs/control.md)" };

        public Option<int?> Node { get; } = new("--node") { Description = "Run it on cluster host N, through this host's nlbd (host N must allow remote control)" };

        public Option<bool> Cluster { get; } = new("--cluster") { Description = "Run it on every host of the cluster (each must allow remote control)" };

        public void AddTo(Command command)
        {
            command.Options.Add(Socket);
            command.Options.Add(Lab);
            command.Options.Add(Host);
            command.Options.Add(Node);
            command.Options.Add(Cluster);
            command.Options.Add(Json);
        }

        public ControlRequest Scope(ParseResult parse, ControlRequest request) =>
            (parse.GetValue(Node), parse.GetValue(Cluster)) switch
            {
                ({ }, true) => throw new CliException("give --node N or --cluster, not both"),
                ({ } node, _) => request with { Node = node },
                (null, true) => request with { Cluster = true },
                _ => request,
            };

        public string SocketPath(ParseResult parse)
        {
            if (parse.GetValue(Lab) is { } lab)
            {
                var host = parse.GetValue(Host) ?? throw new CliException("--lab needs --host N");
                return new OpenNlb.Lab.LabPaths(lab).ControlSocket(host);
            }

            return parse.GetValue(Socket) ?? ControlClient.DefaultSocket;
        }
    }
}

/// <summary>`nlb query` as text: this host, then every other host as this one sees it.</summary>
internal static class QueryFormatter
{
    public static string Format(HostStatus s)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine($"host {s.HostPriority}: {Words(s.State)}{(s.Reason is null ? string.Empty : $" ({s.Reason})")}");
        w.WriteLine($"  members: {(s.Members.Count == 0 ? "none" : string.Join(' ', s.Members))}   map epoch {s.Epoch >> 8}/{s.Epoch & 0xFF}   default host {(s.DefaultHost?.ToString(CultureInfo.InvariantCulture) ?? "none")}");
        foreach (var rule in s.Rules)
        {
            var owned = s.BucketsOwned.GetValueOrDefault(rule.Name);
            var kept = s.BucketsKept.GetValueOrDefault(rule.Name);
            w.WriteLine($"  rule {rule.Name}: {rule.State}, weight {(rule.LoadWeight?.ToString(CultureInfo.InvariantCulture) ?? "equal")}, owns {owned}, keeps {kept}");
        }

        foreach (var peer in s.Peers)
        {
            var state = peer.KeptOut is not null ? $"kept out: {peer.KeptOut}"
                : !peer.Live ? $"silent for {peer.SilentForMs} ms"
                : peer.State is "stopped" or "suspended" or "draining" ? peer.State
                : peer.Epoch == s.Epoch && peer.Participant ? "converged"
                : "converging";
            w.WriteLine($"host {peer.HostPriority}: {state}");
        }

        w.WriteLine($"  convergences {s.Convergences}{(s.LastConvergenceMs is { } ms ? $", last took {ms:0} ms" : string.Empty)}");
        return w.ToString();
    }

    private static string Words(string state) => state switch
    {
        "converged-default" => "converged as default",
        "duplicate-priority" => "kept out (duplicate host priority)",
        _ => state,
    };
}
