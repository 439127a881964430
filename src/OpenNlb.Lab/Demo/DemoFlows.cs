using System.Globalization;
using OpenNlb.Lab.Control;
using OpenNlb.Lab.Traffic;

namespace OpenNlb.Lab.Demo;

/// <summary>
/// The demo's long-lived traffic: 200 TCP connections and 50 UDP flows speaking every ~150 ms
/// while a host crashes, comes back, and is drainstopped; what broke is printed per host.
/// </summary>
internal static class DemoFlows
{
    private static readonly IFormatProvider Inv = CultureInfo.InvariantCulture;
    private static readonly TimeSpan MapTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The probe of the crash binds chosen client ports: it gets an address no flow uses.</summary>
    private static readonly FlowOptions Options = new() { SpareSources = 1 };

    /// <summary>kill -9 and link down of <paramref name="host"/> with the flows running; returns the failover time.</summary>
    public static async Task<TimeSpan?> CrashAsync(LabHandle lab, int host, IReadOnlyList<int> members, TextWriter output, CancellationToken ct)
    {
        var name = LabNames.Host(host);
        await using var flows = await LongLivedFlows.StartAsync(lab, Options, ct);
        output.WriteLine($"    flows open: TCP {PerHost(flows.FlowsPerHost(tcpFlows: true))}; UDP {PerHost(flows.FlowsPerHost(tcpFlows: false))}");
        await Task.Delay(TimeSpan.FromSeconds(1), ct);
        var before = flows.Counts();
        var since = flows.Elapsed;

        var (node, source) = LongLivedFlows.Sources(lab)[^1];
        output.WriteLine($"    t+    0 ms  {name}: nlbd killed (SIGKILL) and link down; new connections to {name}'s buckets from {source}, 8 every 25 ms:");
        var crash = await HostCrash.CrashAsync(lab, host, members, node, source, TimeSpan.FromSeconds(5), ct);
        string? previous = null;
        foreach (var round in crash.Rounds)
        {
            var spread = Spread(round.Got);
            if (spread != previous || round.Served)
            {
                output.WriteLine(string.Create(Inv, $"    t+{round.Start.TotalMilliseconds,5:0} ms  {spread}{(round.Served ? "   <- every one served by its new owner" : "")}"));
                previous = spread;
            }
        }

        output.WriteLine(crash.ServedAfter is { } t
            ? string.Create(Inv, $"    failover: the others serve all of {name}'s buckets {t.TotalMilliseconds:0} ms after the crash (NLB needs about 5 s to notice, 8 s in all)")
            : $"    failover: NOT seen within 5 s");

        // Let the dead host's connections run into their answer timeout before counting.
        var during = await flows.CountsAfterAnswersAsync(ct) - before;
        var events = flows.Events(since);
        var tcpOn = flows.FlowsPerHost(tcpFlows: true);
        var udpOn = flows.FlowsPerHost(tcpFlows: false);
        var lost = BrokenOn(events, name);
        var others = BrokenNotOn(events, name);
        output.WriteLine($"    broken: {lost} of {name}'s {tcpOn.GetValueOrDefault(name)} TCP connections (they lived on the dead host), {others} of the other hosts' {tcpOn.Where(kv => kv.Key != name).Sum(kv => kv.Value)} {Verdict(others)}");
        output.WriteLine($"    UDP: {name}'s {udpOn.GetValueOrDefault(name)} flows went unanswered until the failover, then were answered by another host; the other hosts' flows: {BadUdpNotOn(events, name)} datagrams answered wrongly or not at all {Verdict(BadUdpNotOn(events, name))}");
        output.WriteLine($"    ({during})");
        return crash.ServedAfter;
    }

    /// <summary>Brings a crashed host back (link up, nlbd started) with fresh flows running, and prints what broke.</summary>
    public static async Task RejoinAsync(LabHandle lab, int host, IReadOnlyList<int> all, TextWriter output, CancellationToken ct)
    {
        var map = new LabModel(lab, all);
        var result = await ChangeMeasurement.RunAsync(
            lab,
            $"h{host} back",
            Options,
            async c =>
            {
                await lab.SetLinkUpAsync(host, c);
                lab.StartNlbd(host);
                await LabConvergence.WaitForMapAsync(lab, map, all, MapTimeout, c);
            },
            map,
            TimeSpan.FromSeconds(2),
            60,
            30,
            ct);
        Print(result, output);
    }

    /// <summary>Drainstops a host over its control socket with flows running, then starts it again; prints what broke.</summary>
    public static async Task DrainstopAsync(LabHandle lab, int host, IReadOnlyList<int> all, TextWriter output, CancellationToken ct)
    {
        var name = LabNames.Host(host);
        if (!lab.HasControlSocket(host))
        {
            output.WriteLine($"    skipped: {name}'s nlbd has no control socket ({lab.Paths.ControlSocket(host)}); this nlbd predates drainstop");
            return;
        }

        var drained = new LabModel(lab, all.Where(h => h != host));
        var full = new LabModel(lab, all);
        var result = await ChangeMeasurement.RunAsync(
            lab,
            $"drainstop {name}",
            Options,
            async c =>
            {
                var answer = await lab.ControlAsync(host, ControlRequest.Drainstop(30), c);
                output.WriteLine($"    {name}: drainstop: {answer.Message ?? "ok"}");
                await LabConvergence.WaitForMapAsync(lab, drained, all, MapTimeout, c);
                output.WriteLine($"    {name} is {(await lab.ControlAsync(host, ControlRequest.Query, c)).State}: it owns no bucket and keeps its flows; new flows go to the others");
                await Task.Delay(TimeSpan.FromSeconds(2), c);
                _ = await lab.ControlAsync(host, ControlRequest.Start, c);
                await LabConvergence.WaitForMapAsync(lab, full, all, MapTimeout, c);
                output.WriteLine($"    {name}: started again, it owns its share again");
            },
            full,
            TimeSpan.FromSeconds(2),
            60,
            30,
            ct);
        Print(result, output);
    }

    private static void Print(ChangeResult result, TextWriter output)
    {
        output.WriteLine($"    broken: {result.Summary}   {Verdict(result.Counts!.TcpBroken + (int)result.Counts.UdpBad)}");
        output.WriteLine($"    {result.NewFlows}");
    }

    private static bool IsTcpBreak(FlowEvent e) => e.Kind is FlowEventKind.TcpReset or FlowEventKind.TcpTimedOut or FlowEventKind.TcpClosed or FlowEventKind.TcpError;

    private static bool IsUdpBad(FlowEvent e) => e.Kind is FlowEventKind.UdpWrongHost or FlowEventKind.UdpDuplicate or FlowEventKind.UdpUnanswered;

    private static int BrokenOn(IReadOnlyList<FlowEvent> events, string host) => events.Count(e => IsTcpBreak(e) && e.FirstHost == host);

    private static int BrokenNotOn(IReadOnlyList<FlowEvent> events, string host) => events.Count(e => IsTcpBreak(e) && e.FirstHost != host);

    private static int BadUdpNotOn(IReadOnlyList<FlowEvent> events, string host) => events.Count(e => IsUdpBad(e) && e.FirstHost != host);

    private static string Verdict(int bad) => bad == 0 ? "(as it should be: 0)" : "(NOT 0)";

    private static string PerHost(IReadOnlyDictionary<string, int> perHost) =>
        string.Join(' ', perHost.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key} {kv.Value}"));

    private static string Spread(IReadOnlyList<string> got) =>
        string.Join("  ", got.GroupBy(g => g).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));
}
