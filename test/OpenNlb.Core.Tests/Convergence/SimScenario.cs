using OpenNlb.Core.Allocation;
using OpenNlb.Core.Convergence;
using OpenNlb.Core.Membership;

namespace OpenNlb.Core.Tests.Convergence;

/// <summary>
/// One random run: 2 to 5 hosts (priorities a random subset of 1..8, up to 6 with joins) boot
/// within 400 ms, faults and operations follow for <c>faultMs</c>, then the network is healed,
/// crashed hosts restarted and every host started (in half the runs every rule enabled too), and
/// after <c>quietMs</c> the cluster must have converged.
/// </summary>
internal static class SimScenario
{
    public const int MaxHosts = 6;

    /// <summary>The longest a datagram may take (40 ms; OPENNLB_SIM_MAX_DELAY_MS to explore longer ones).</summary>
    public static readonly int MaxDelayMs =
        int.TryParse(Environment.GetEnvironmentVariable("OPENNLB_SIM_MAX_DELAY_MS"), out var delay) ? delay : 40;

    public static ClusterSimulator Run(int seed, long faultMs = 4000, long quietMs = 3000, Action<string>? echo = null)
    {
        // Both protocols: odd seeds with takeovers, even seeds without (the default).
        var sim = new ClusterSimulator(seed) { Takeover = seed % 2 == 1 };
        sim.Trace.Echo = echo;
        var random = sim.Random;
        sim.Network.MaxDelayMs = random.Next(MaxDelayMs + 1);
        sim.Network.Loss = random.NextDouble() * 0.3;
        sim.Network.Duplicate = random.NextDouble() * 0.1;

        var priorities = Enumerable.Range(1, 8).ToArray();
        random.Shuffle(priorities);
        var initial = random.Next(2, MaxHosts);
        foreach (var priority in priorities[..initial])
        {
            var host = sim.AddHost(priority, RandomRules(random, priority));
            var initialState = random.Next(10) == 0 ? MemberState.Stopped : MemberState.Started;
            var restarted = random.Next(2) == 0;
            sim.At(random.Next(400), $"{host.Name} boots {initialState}", () => sim.Boot(host, initialState, restarted));
        }

        new SimFaults(sim, faultMs, new Queue<int>(priorities[initial..]), MaxHosts).Start();
        sim.RunUntil(faultMs);

        // Each step its own event, so that the invariant is checked between them too.
        var enableAll = random.Next(2) == 0;
        sim.Describe(faultMs, () =>
        {
            sim.Network.HealAll();
            return $"quiet: network {sim.Network}";
        });
        foreach (var host in sim.Hosts)
        {
            sim.At(faultMs, $"{host.Name} restarts", () => !host.Running && Do(() => sim.Boot(host, restarted: true)));
            sim.At(faultMs, $"{host.Name} resumes", () => host.Node!.State == MemberState.Suspended && Do(() => sim.Execute(host, new HostCommand(HostCommandKind.Resume))));
            sim.At(faultMs, $"{host.Name} starts", () => sim.Execute(host, new HostCommand(HostCommandKind.Start)));
            if (enableAll)
            {
                sim.At(faultMs, $"{host.Name} enables every rule", () => sim.Execute(host, new HostCommand(HostCommandKind.Enable, "all")));
            }
        }

        AwaitConvergence(sim, faultMs + quietMs);
        return sim;
    }

    /// <summary>
    /// Runs until the cluster has converged and stays so for two more heartbeat periods, or fails
    /// at <paramref name="deadlineMs"/> saying why it has not. (Stopping early only saves time:
    /// the quiet network changes nothing once converged.)
    /// </summary>
    public static void AwaitConvergence(ClusterSimulator sim, long deadlineMs)
    {
        while (sim.Now < deadlineMs)
        {
            sim.RunUntil(Math.Min(deadlineMs, sim.Now + SimCluster.PeriodMs));
            if (SimLiveness.Problem(sim) is null)
            {
                sim.RunFor(2 * SimCluster.PeriodMs);
                break;
            }
        }

        SimLiveness.CheckConverged(sim);
    }

    private static bool Do(Action action)
    {
        action();
        return true;
    }

    /// <summary>Equal or random weights (sometimes 0), handling priorities from 1..8 (ties happen).</summary>
    public static MemberRule[] RandomRules(Random random, int priority) =>
        SimCluster.Config.PortRules
            .Select(_ => new MemberRule(
                random.Next(3) == 0 ? null : random.Next(8) == 0 ? 0 : random.Next(1, MemberRule.MaxLoadWeight + 1),
                random.Next(3) == 0 ? priority : random.Next(1, 9)))
            .ToArray();
}
