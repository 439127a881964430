using OpenNlb.Core.Allocation;
using OpenNlb.Core.Convergence;
using OpenNlb.Core.Membership;

namespace OpenNlb.Core.Tests.Convergence;

/// <summary>
/// Random faults and operations, one every 150 ms on average until <c>until</c>: network weather
/// (loss, delay, duplicates), partitions, one-way cuts, crashes and restarts, stop, drainstop,
/// suspend, per-rule commands, weight changes, and new hosts joining. Whatever a fault undoes later
/// (a heal, a restart, a start) is undone only while faults last; the quiet phase undoes the rest.
/// </summary>
internal sealed class SimFaults(ClusterSimulator sim, long until, Queue<int> sparePriorities, int maxHosts)
{
    private static readonly string[] RuleNames = SimCluster.Config.PortRules.Select(r => r.Name).ToArray();

    private Random Random => sim.Random;

    public void Start() => ScheduleNext();

    private void ScheduleNext()
    {
        var at = sim.Now + (long)(-Math.Log(1 - Random.NextDouble()) * 150);
        if (at < until)
        {
            sim.Describe(at, () => $"fault: {Inject()}");
        }
    }

    private string Inject()
    {
        ScheduleNext();
        var roll = Random.Next(100);
        return roll switch
        {
            < 10 => Weather(),
            < 18 => Partition(),
            < 25 => OneWayCut(),
            < 37 => OnHost(Crash),
            < 44 => OnHost(h => Command(h, new HostCommand(HostCommandKind.Stop), later: HostCommandKind.Start)),
            < 52 => OnHost(DrainStop),
            < 57 => OnHost(Suspend),
            < 70 => OnHost(RuleCommand),
            < 80 => OnHost(SetWeight),
            < 86 => Join(),
            _ => OnHost(h => Command(h, new HostCommand(HostCommandKind.Start))),
        };
    }

    private string Weather()
    {
        sim.Network.Loss = Random.Next(4) == 0 ? 0 : Random.NextDouble() * 0.3;
        sim.Network.MaxDelayMs = Random.Next(SimScenario.MaxDelayMs + 1);
        sim.Network.Duplicate = Random.NextDouble() * 0.1;
        return $"network {sim.Network}";
    }

    private string Partition()
    {
        var slots = sim.Hosts.Select(h => h.Slot).ToArray();
        Random.Shuffle(slots);
        var sideA = slots[..Random.Next(1, slots.Length)];
        var id = sim.Network.Partition(sideA);
        var heal = Random.Next(100, 3001);
        Later(heal, $"heal partition {id}", () => sim.Network.Heal(id));
        return $"partition {{{string.Join(",", sideA.Select(s => sim.Hosts[s].Name))}}} for {heal} ms";
    }

    private string OneWayCut()
    {
        var from = sim.Hosts[Random.Next(sim.Hosts.Count)];
        var to = sim.Hosts[Random.Next(sim.Hosts.Count)];
        if (from == to)
        {
            return "no cut";
        }

        sim.Network.Cut(from.Slot, to.Slot);
        var mend = Random.Next(100, 1501);
        Later(mend, $"mend {from.Name}>{to.Name}", () => sim.Network.Mend(from.Slot, to.Slot));
        return $"cut {from.Name}>{to.Name} for {mend} ms";
    }

    private string OnHost(Func<SimHost, string> fault)
    {
        var running = sim.Running.ToArray();
        return running.Length == 0 ? "no host runs" : fault(running[Random.Next(running.Length)]);
    }

    private string Crash(SimHost host)
    {
        sim.Crash(host);
        var restart = Random.Next(50, 2001);
        Later(restart, $"{host.Name} restarts", () =>
        {
            if (!host.Running)
            {
                sim.Boot(host, restarted: true);
            }
        });
        return $"{host.Name} crashes, restarts in {restart} ms";
    }

    private string DrainStop(SimHost host)
    {
        TimeSpan? timeout = Random.Next(2) == 0 ? null : TimeSpan.FromMilliseconds(Random.Next(200, 2001));
        return Command(host, new HostCommand(HostCommandKind.DrainStop, Timeout: timeout), later: HostCommandKind.Start);
    }

    private string Suspend(SimHost host)
    {
        var said = Command(host, new HostCommand(HostCommandKind.Suspend), later: HostCommandKind.Resume);
        Later(Random.Next(2000, 4000), $"{host.Name} start after resume", () => sim.Execute(host, new HostCommand(HostCommandKind.Start)));
        return said;
    }

    private string RuleCommand(SimHost host)
    {
        var kind = Random.Next(3) switch
        {
            0 => HostCommandKind.Drain,
            1 => HostCommandKind.Disable,
            _ => HostCommandKind.Enable,
        };
        var rule = Random.Next(4) == 0 ? "all" : RuleNames[Random.Next(RuleNames.Length)];
        return Command(host, new HostCommand(kind, rule), later: kind == HostCommandKind.Enable ? null : HostCommandKind.Enable, rule);
    }

    private string SetWeight(SimHost host)
    {
        var weight = Random.Next(5) == 0 ? 0 : Random.Next(1, MemberRule.MaxLoadWeight + 1);
        return Command(host, new HostCommand(HostCommandKind.SetWeight, RuleNames[Random.Next(RuleNames.Length)], weight));
    }

    private string Join()
    {
        if (sim.Hosts.Count >= maxHosts || !sparePriorities.TryDequeue(out var priority))
        {
            return "no room to join";
        }

        var host = sim.AddHost(priority, SimScenario.RandomRules(Random, priority));
        sim.Boot(host, restarted: Random.Next(2) == 0);
        return $"{host.Name} joins";
    }

    /// <summary>Runs <paramref name="command"/> now, and <paramref name="later"/> (if any) a random while after, if faults still last then.</summary>
    private string Command(SimHost host, HostCommand command, HostCommandKind? later = null, string? rule = null)
    {
        var outcome = sim.Execute(host, command);
        if (later is { } undo)
        {
            Later(Random.Next(100, 3001), $"{host.Name} {undo} {rule}", () => sim.Execute(host, new HostCommand(undo, rule)));
        }

        return $"{host.Name} {command.Kind} {command.Rule} {command.Weight} {command.Timeout?.TotalMilliseconds}: "
            + (outcome is null ? "down" : $"{(outcome.Ok ? "ok" : "refused")}, {outcome.Message}");
    }

    private void Later(long delayMs, string label, Action action) =>
        sim.At(sim.Now + delayMs, label, () =>
        {
            if (sim.Now >= until)
            {
                return false;
            }

            action();
            return true;
        });
}
