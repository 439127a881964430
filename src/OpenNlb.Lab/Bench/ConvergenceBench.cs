using System.Diagnostics;
using System.Globalization;
using OpenNlb.Core.Allocation;
using OpenNlb.Lab.Control;
using OpenNlb.Lab.Traffic;

namespace OpenNlb.Lab.Bench;

/// <summary>
/// `nlb bench convergence`: in one run, on a three-host lab, what the issue asks to be measured —
/// failover times over many crashes, the connections each planned change breaks (host joining,
/// host drainstopped and started again, load weight changed), the heartbeat bytes per second per
/// host — and the same for the static nftables recipe where it applies. Prints one table at the
/// end. A step that cannot be measured (an nlbd without a control socket) says so in its row.
/// </summary>
public sealed class ConvergenceBench(TextWriter output, ConvergenceBenchOptions options)
{
    private const int NewTcp = 60;
    private const int NewUdp = 30;
    private static readonly int[] All = [1, 2, 3];
    private static readonly TimeSpan MapTimeout = TimeSpan.FromSeconds(15);
    private static readonly IFormatProvider Inv = CultureInfo.InvariantCulture;

    /// <summary>How long new flows waited in the changes that measure it, for the table.</summary>
    private readonly List<(string Change, NewFlowGap Gap)> _gaps = [];

    private FlowOptions Flows => new() { TcpConnections = options.TcpConnections, UdpFlows = options.UdpFlows };

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var heartbeat = NlbdConfigWriter.Build(options.Name, options.Mode, 1).Cluster.Heartbeat;
        Say($"OpenNLB convergence benchmark: lab '{options.Name}', 3 hosts, {options.Mode.ToString().ToLowerInvariant()} mode, heartbeat every {heartbeat.PeriodMs} ms, tolerance {heartbeat.Tolerance}; {options.TcpConnections} TCP connections and {options.UdpFlows} UDP flows per planned change; {options.Crashes} crashes.");
        await Labs.DownAsync(options.Name, ct);
        await using var lab = await Labs.UpAsync(new LabOptions { Name = options.Name, Hosts = 3, Clients = 2, ClientAddresses = 10, Mode = options.Mode }, ct);
        await LabConvergence.WaitAsync(lab, All, MapTimeout, ct);
        var control = lab.HasControlSocket(1);
        Say(control ? "nlbd has a control socket." : "nlbd has no control socket (it predates --control-socket): drainstop and weight change are not measured.");
        await Task.Delay(options.Settle, ct);

        var table = new BenchTable("data plane", "what", "result");
        if (options.ClusterChangeOnly)
        {
            foreach (var change in await ClusterChangeAsync(lab, ct))
            {
                table.Add("opennlb", change.Change, Row(change));
            }

            AddGaps(table);

            Say($"\n{table}");
            Say("TCP broken: connections reset or unanswered for 2 s. UDP: datagrams answered by another host than their flow's, answered twice, or not answered within 2 s.");
            return 0;
        }

        Say($"\nheartbeats: counting bytes to the heartbeat port in the switch for {options.HeartbeatWindow.TotalSeconds:0} s");
        table.Add("opennlb", "heartbeat bytes/s per host", await StepAsync(() => HeartbeatsAsync(lab, ct)));
        table.Add("static", "heartbeat bytes/s per host", "0 (no heartbeats)");

        var planned = new List<ChangeResult>
        {
            await ChangeAsync("host joins (2 -> 3)", () => JoinAsync(lab, ct)),
            control
                ? await ChangeAsync("drainstop h2, then start", () => DrainstopAsync(lab, ct))
                : ChangeResult.Skip("drainstop h2, then start", "nlbd has no control socket"),
            control
                ? await ChangeAsync("weight of web on h1 50 -> 80", () => WeightAsync(lab, ct))
                : ChangeResult.Skip("weight of web on h1 50 -> 80", "nlbd has no control socket"),
        };

        Say($"\nfailover: {options.Crashes} crashes (kill -9 of nlbd and link down at once), rotating over h1 h2 h3");
        var crashes = await CrashesAsync(lab, ct);
        table.Add("opennlb", $"failover, kill -9 + link down ({options.Crashes} crashes)", FailoverSummary(crashes));
        table.Add("static", "failover", "none (no membership; an operator must edit the rule)");

        foreach (var change in planned.Concat(await ClusterChangeAsync(lab, ct)))
        {
            table.Add("opennlb", change.Change, Row(change));
        }

        AddGaps(table);

        Say("\nstatic recipe: nlbd stopped on every host, `jhash ... mod N != i drop` installed by hand");
        foreach (var change in await StaticAsync(lab, ct))
        {
            table.Add("static", change.Change, Row(change));
        }

        table.Add("static", "weight change", "n/a (no weights)");
        Say($"\n{table}");
        Say("TCP broken: connections reset or unanswered for 2 s. UDP: datagrams answered by another host than their flow's, answered twice, or not answered within 2 s.");
        Say("new flows: fresh connections and flows after the change, answered by the owner the model of the new map gives (static: who answered).");
        Say("p99 of fewer than 100 crashes is the slowest but one or the slowest (nearest rank).");
        return crashes.Count > 0 && crashes.All(c => c.ServedAfter is not null) ? 0 : 1;
    }

    private async Task<string> HeartbeatsAsync(LabHandle lab, CancellationToken ct)
    {
        var rates = await HeartbeatMeter.MeasureAsync(lab, options.HeartbeatWindow, ct);
        foreach (var r in rates)
        {
            Say(string.Create(Inv, $"  {r.Host}: {r.BytesPerSecond:N0} bytes/s, {r.DatagramsPerSecond:0.#} datagrams/s of {r.BytesPerDatagram:0} bytes (IP)"));
        }

        return string.Join(", ", rates.Select(r => string.Create(Inv, $"{r.Host} {r.BytesPerSecond:N0}"))) + string.Create(Inv, $" ({rates.Average(r => r.DatagramsPerSecond):0.#} datagrams/s of {rates.Average(r => r.BytesPerDatagram):0} IP bytes)");
    }

    private Task<ChangeResult> JoinAsync(LabHandle lab, CancellationToken ct) => MeasureAsync(
        lab,
        "host joins (2 -> 3)",
        async () =>
        {
            _ = await lab.KillNlbdAsync(3, Signal.SIGTERM);
            await LabConvergence.WaitAsync(lab, [1, 2], MapTimeout, ct);
        },
        async () =>
        {
            lab.StartNlbd(3);
            await LabConvergence.WaitForMapAsync(lab, new LabModel(lab, All), All, MapTimeout, ct);
        },
        new LabModel(lab, All),
        ct);

    private Task<ChangeResult> DrainstopAsync(LabHandle lab, CancellationToken ct) => MeasureAsync(
        lab,
        "drainstop h2, then start",
        () => Task.CompletedTask,
        async () =>
        {
            _ = await lab.ControlAsync(2, ControlRequest.Drainstop(30), ct);
            await LabConvergence.WaitForMapAsync(lab, new LabModel(lab, [1, 3]), All, MapTimeout, ct);
            await Task.Delay(ChangeMeasurement.DefaultObserve, ct);
            _ = await lab.ControlAsync(2, ControlRequest.Start, ct);
            await LabConvergence.WaitForMapAsync(lab, new LabModel(lab, All), All, MapTimeout, ct);
        },
        new LabModel(lab, All),
        ct);

    private async Task<ChangeResult> WeightAsync(LabHandle lab, CancellationToken ct)
    {
        var weighted = new LabModel(lab, All).WithWeight(1, "web", 80);
        var result = await MeasureAsync(
            lab,
            "weight of web on h1 50 -> 80",
            () => Task.CompletedTask,
            async () =>
            {
                _ = await lab.ControlAsync(1, ControlRequest.SetWeight("web", 80), ct);
                await LabConvergence.WaitForMapAsync(lab, weighted, All, MapTimeout, ct);
            },
            weighted,
            ct);
        // Back to the equal weight, so that the crashes that follow start from the lab's usual map.
        _ = await lab.ControlAsync(1, ControlRequest.SetWeight("web", MemberRule.EqualLoadWeight), ct);
        await LabConvergence.WaitForMapAsync(lab, new LabModel(lab, All), All, MapTimeout, ct);
        return result;
    }

    /// <summary>
    /// The port rules changed on every host (<see cref="LabClusterChange"/>): switched live by
    /// `nlb reload` on each host, then back the way it had to be done before, nlbd restarted on
    /// every host, as the baseline of the same run.
    /// </summary>
    private async Task<IReadOnlyList<ChangeResult>> ClusterChangeAsync(LabHandle lab, CancellationToken ct)
    {
        const string Live = "port rules changed: nlb reload on each host (live switch)";
        const string Restart = "port rules changed back: nlbd restarted on every host (before)";
        IReadOnlyDictionary<int, string>? originals = null;
        var live = await ChangeAsync(Live, () => MeasureAsync(
            lab,
            Live,
            () => Task.CompletedTask,
            async () =>
            {
                originals = await LabClusterChange.WriteAsync(lab, ct);
                await using var probe = StartGapProbe(lab, ct);
                _ = await LabClusterChange.ReloadEachAsync(lab, All, ct);
                var reloaded = Stopwatch.StartNew();
                await LabClusterChange.WaitSwitchedAsync(lab, All, MapTimeout, ct);
                await LabConvergence.WaitAsync(lab, All, MapTimeout, ct);
                Say(string.Create(Inv, $"  every host switched and said converged {reloaded.Elapsed.TotalMilliseconds:0} ms after the last reload answered"));
                NoteGap(Live, await probe.StopAsync());
            },
            new LabModel(lab, All),
            ct));
        if (originals is null)
        {
            return [live, ChangeResult.Skip(Restart, "the live switch did not start")];
        }

        var restart = await ChangeAsync(Restart, () => MeasureAsync(
            lab,
            Restart,
            () => LabClusterChange.RestoreAsync(lab, originals, ct),
            async () =>
            {
                // One host at a time would not do: a host with another section is kept out.
                await using var probe = StartGapProbe(lab, ct);
                foreach (var host in All)
                {
                    _ = await lab.KillNlbdAsync(host, Signal.SIGTERM);
                }

                foreach (var host in All)
                {
                    lab.StartNlbd(host);
                }

                await LabConvergence.WaitAsync(lab, All, MapTimeout, ct);
                await LabConvergence.WaitForMapAsync(lab, new LabModel(lab, All), All, MapTimeout, ct);
                NoteGap(Restart, await probe.StopAsync());
            },
            new LabModel(lab, All),
            ct));
        await Task.Delay(options.Settle, ct);
        return [live, restart];
    }

    /// <summary>New connections from the last client address, which the long-lived flows use least.</summary>
    private static NewFlowGapProbe StartGapProbe(LabHandle lab, CancellationToken ct)
    {
        var (node, source) = LongLivedFlows.Sources(lab)[^1];
        return NewFlowGapProbe.Start(lab, node, source, ct);
    }

    private void NoteGap(string change, NewFlowGap gap)
    {
        Say($"  {gap}");
        _gaps.Add((change, gap));
    }

    private async Task<IReadOnlyList<CrashResult>> CrashesAsync(LabHandle lab, CancellationToken ct)
    {
        var sources = LongLivedFlows.Sources(lab);
        var results = new List<CrashResult>();
        for (var i = 0; i < options.Crashes; i++)
        {
            var host = All[i % All.Length];

            // A fresh client address per crash: no port of it has been used against the lab yet.
            var (node, source) = sources[i % sources.Count];
            try
            {
                var crash = await HostCrash.CrashAsync(lab, host, All, node, source, options.FailoverLimit, ct);
                results.Add(crash);
                Say(string.Create(Inv, $"  crash {i + 1,2}/{options.Crashes}: h{host}: {(crash.ServedAfter is { } t ? $"served by the others after {t.TotalMilliseconds:0} ms" : $"NOT served within {options.FailoverLimit.TotalSeconds:0} s")} ({crash.Rounds.Count} probe rounds)"));
                await HostCrash.RecoverAsync(lab, host, All, MapTimeout, ct);
                await Task.Delay(options.Settle, ct);
            }
            catch (Exception e) when (e is LabException or TimeoutException or IOException)
            {
                Say($"  crash {i + 1}/{options.Crashes}: h{host}: failed: {e.Message}");
                break;
            }
        }

        return results;
    }

    private async Task<IReadOnlyList<ChangeResult>> StaticAsync(LabHandle lab, CancellationToken ct)
    {
        foreach (var host in All)
        {
            _ = await lab.KillNlbdAsync(host, Signal.SIGTERM);
        }

        await StaticRecipe.InstallAsync(lab, All, flushClients: true, ct);
        var leave = await ChangeAsync("host leaves: mod 3 -> 2 on h1 h2, h3 out", () => MeasureAsync(
            lab,
            "host leaves: mod 3 -> 2 on h1 h2, h3 out",
            () => Task.CompletedTask,
            async () =>
            {
                await StaticRecipe.InstallAsync(lab, [1, 2], flushClients: false, ct);
                await StaticRecipe.RemoveAsync(lab, 3, ct);
            },
            null,
            ct));
        var join = await ChangeAsync("host joins: mod 2 -> 3 on h1 h2 h3", () => MeasureAsync(
            lab,
            "host joins: mod 2 -> 3 on h1 h2 h3",
            () => Task.CompletedTask,
            () => StaticRecipe.InstallAsync(lab, All, flushClients: false, ct),
            null,
            ct));
        return [leave, join];
    }

    private async Task<ChangeResult> MeasureAsync(LabHandle lab, string name, Func<Task> prepare, Func<Task> change, LabModel? newMap, CancellationToken ct)
    {
        Say($"\n{name}");
        await prepare();
        var result = await ChangeMeasurement.RunAsync(lab, name, Flows, _ => change(), newMap, ChangeMeasurement.DefaultObserve, NewTcp, NewUdp, ct);
        Say($"  {result.Summary}");
        Say($"  {result.NewFlows}");
        foreach (var e in result.Events.Take(5))
        {
            Say($"    {e}");
        }

        return result;
    }

    /// <summary>Runs one step; a failure becomes its row instead of ending the run.</summary>
    private async Task<ChangeResult> ChangeAsync(string name, Func<Task<ChangeResult>> step)
    {
        try
        {
            return await step();
        }
        catch (Exception e) when (e is LabException or TimeoutException or IOException)
        {
            Say($"  {name}: failed: {e.Message}");
            return ChangeResult.Skip(name, "failed: " + e.Message.Split('\n')[0]);
        }
    }

    private async Task<string> StepAsync(Func<Task<string>> step)
    {
        try
        {
            return await step();
        }
        catch (Exception e) when (e is LabException or TimeoutException or IOException)
        {
            Say($"  failed: {e.Message}");
            return "not measured: " + e.Message.Split('\n')[0];
        }
    }

    private void AddGaps(BenchTable table)
    {
        foreach (var (change, gap) in _gaps)
        {
            table.Add("opennlb", change.Split(':')[0] + ": new flows", gap.ToString());
        }
    }

    private static string Row(ChangeResult change) =>
        change.NewFlows is { } fresh
            ? $"{change.Summary}; new flows: {(fresh.Modelled ? $"{fresh.TcpAsModelled}/{fresh.Tcp} TCP, {fresh.UdpAsModelled}/{fresh.Udp} UDP as the map says" : fresh.Spread)}"
            : change.Summary;

    private static string FailoverSummary(IReadOnlyList<CrashResult> crashes)
    {
        var times = crashes.Where(c => c.ServedAfter is not null).Select(c => c.ServedAfter!.Value.TotalMilliseconds).Order().ToList();
        if (times.Count == 0)
        {
            return $"none served ({crashes.Count} crashes)";
        }

        var missed = crashes.Count - times.Count;
        return string.Create(Inv, $"p50 {Percentile(times, 0.50):0} ms, p99 {Percentile(times, 0.99):0} ms, max {times[^1]:0} ms, min {times[0]:0} ms over {times.Count} crashes")
            + (missed > 0 ? $"; {missed} NOT served within the limit" : "");
    }

    /// <summary>Nearest rank: the smallest value with at least p of the values at or below it.</summary>
    private static double Percentile(List<double> sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private void Say(string line) => output.WriteLine(line);
}
