using System.CommandLine;
using OpenNlb.Core.Control;

namespace OpenNlb.Cli.Control;

/// <summary>
/// NLB's host and port-rule operations, named as nlb.exe names them: query, display, params,
/// start, stop, drainstop, suspend, resume, enable, disable, drain (and weight). Each talks to the
/// local nlbd's control socket, or to host N of a lab with <c>--lab NAME --host N</c>.
/// </summary>
internal static class HostCommands
{
    private const string RuleHelp = "Which port rules: a rule's name, VIP:PORT (10.0.0.10:80, [2001:db8::10]:443), a port (every rule whose range holds it), or all";

    public static IEnumerable<Command> Create(CancellationToken ct)
    {
        yield return Ask("query", "Show this host's state, the map it enforces, its port rules, and every other host as it sees it", ControlCall.Query, ct);
        yield return Ask("display", "Show everything about this host: the configuration in effect, its state and peers, the last events nlbd logged, its counters", ControlCall.Display, ct);
        yield return Ask("params", "Show the configuration in effect: cluster and host parameters, port rules, the file it came from and its fingerprint", ControlCall.Params, ct);
        yield return Ask("start", "Start cluster operations on this host", "start", ct);
        yield return Ask("stop", "Stop cluster operations now: this host's connections to the VIPs are dropped", "stop", ct);
        yield return DrainStop(ct);
        yield return Ask("suspend", "Stop, and refuse start, stop and drainstop until resume", "suspend", ct);
        yield return Ask("resume", "Resume after suspend (the host stays stopped until start)", "resume", ct);
        yield return PerRule("enable", "Take new flows of port rules again on this host", ct);
        yield return PerRule("disable", "Take none of the port rules' traffic on this host: its flows of them are dropped", ct);
        yield return PerRule("drain", "Take no new flows of the port rules on this host; keep serving the existing ones", ct);
        yield return Weight(ct);
        yield return Ask("reload", "Read this host's configuration file again and apply it without a restart; an invalid file, or a change that needs a restart, is refused with every reason and changes nothing", ControlCall.Reload, ct);
    }

    private static Command Ask(string name, string description, string command, CancellationToken ct)
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
        var timeout = new Option<double?>("--timeout") { Description = "Stop after this many seconds (0..86400) even if flows remain" };
        var cmd = new Command("drainstop", "Take no new flows; stop when the existing ones end (or at --timeout)") { timeout };
        target.AddTo(cmd);
        cmd.SetAction(parse => RunAsync(target, parse, new ControlRequest { Command = "drainstop", TimeoutSeconds = parse.GetValue(timeout) }, ct));
        return cmd;
    }

    private static Command PerRule(string name, string description, CancellationToken ct)
    {
        var target = new Target();
        var rule = new Argument<string>("rule") { Description = RuleHelp };
        var cmd = new Command(name, description) { rule };
        target.AddTo(cmd);
        cmd.SetAction(parse => RunAsync(target, parse, new ControlRequest { Command = name, Rule = parse.GetValue(rule) }, ct));
        return cmd;
    }

    private static Command Weight(CancellationToken ct)
    {
        var target = new Target();
        var rule = new Argument<string>("rule") { Description = RuleHelp };
        var weight = new Argument<int>("weight") { Description = "Load weight 0..100 (0: none of the rule's multiple-host traffic)" };
        var cmd = new Command("weight", "Change this host's load weight for port rules (moves buckets without breaking flows)") { rule, weight };
        target.AddTo(cmd);
        cmd.SetAction(parse => RunAsync(target, parse, new ControlRequest { Command = "weight", Rule = parse.GetValue(rule), Weight = parse.GetValue(weight) }, ct));
        return cmd;
    }

    private static Task<int> RunAsync(Target target, ParseResult parse, ControlRequest request, CancellationToken ct) => Answer.RunAsync(
        parse.GetValue(target.Json),
        () => ControlClient.SendAsync(target.SocketPath(parse), target.Scope(parse, request), ct),
        response => Console.Write(Text(request.Command!, response)));

    /// <summary>One line per host for a command run with --node or --cluster.</summary>
    internal static string HostLines(ControlResponse response)
    {
        var w = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var host in response.Hosts ?? [])
        {
            w.WriteLine(host.Ok
                ? $"host {host.Host}: {host.Message}{(host.State is null ? string.Empty : $" [{host.State}]")}"
                : $"host {host.Host}: failed: {host.Error}{(host.State is null ? string.Empty : $" [{host.State}]")}");
        }

        return w.ToString();
    }

    /// <summary>The text of an answer: the message, then what the command shows.</summary>
    internal static string Text(string command, ControlResponse response)
    {
        var w = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        if (response.Hosts is { Count: > 0 })
        {
            // Each host answered for itself; the local status after it is not what was asked.
            w.Write(HostLines(response));
            return w.ToString();
        }

        if (response.Message is { } message)
        {
            w.WriteLine(message);
        }

        switch (command)
        {
            case ControlCall.Query when response.Status is { } status:
                w.Write(QueryFormatter.Format(status));
                break;
            case ControlCall.Params when response.Params is { } p:
                w.Write(ParamsFormatter.Format(p));
                break;
            case ControlCall.Display:
                w.Write(DisplayFormatter.Format(response));
                break;
        }

        return w.ToString();
    }
}
