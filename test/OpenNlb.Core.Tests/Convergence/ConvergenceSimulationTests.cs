using System.Collections.Concurrent;
using System.Diagnostics;
using Xunit;

namespace OpenNlb.Core.Tests.Convergence;

/// <summary>
/// The convergence state machine over many random runs (issue 3, item 1): joins, leaves, crashes,
/// partitions, lost, delayed, duplicated and reordered datagrams, and operations; the safety
/// invariant is checked after every event, convergence once the faults stop (see
/// <see cref="SimScenario"/>). OPENNLB_SIM_RUNS sets the number of seeds; OPENNLB_SOAK=1 (or
/// ONLNB_SOAK=1) runs 20,000; OPENNLB_SIM_FIRST_SEED moves the seeds; OPENNLB_SIM_SEED replays one
/// seed with its full trace; OPENNLB_SIM_MAX_DELAY_MS explores delays beyond 40 ms.
/// </summary>
public sealed class ConvergenceSimulationTests
{
    private static readonly int Runs = Setting("OPENNLB_SIM_RUNS")
        ?? (Environment.GetEnvironmentVariable("OPENNLB_SOAK") == "1" || Environment.GetEnvironmentVariable("ONLNB_SOAK") == "1" ? 20_000 : 300);

    [Fact]
    public void RandomRuns_NeverTwoOwnersOfABucket_AndConvergeOnceFaultsStop()
    {
        var firstSeed = Setting("OPENNLB_SIM_FIRST_SEED") ?? 1;
        var failures = new ConcurrentBag<(int Seed, string Message)>();
        var events = 0L;
        var clock = Stopwatch.StartNew();
        Parallel.For(firstSeed, firstSeed + Runs, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, (seed, loop) =>
        {
            try
            {
                Interlocked.Add(ref events, SimScenario.Run(seed).Events);
            }
            catch (SimulationException e)
            {
                failures.Add((seed, e.Message));
                if (failures.Count >= 20)
                {
                    loop.Stop();
                }
            }
        });

        var output = TestContext.Current.TestOutputHelper;
        output?.WriteLine($"{Runs} runs (seeds {firstSeed}..{firstSeed + Runs - 1}), {events} events checked, {failures.Count} failed, {clock.ElapsedMilliseconds} ms");
        if (!failures.IsEmpty)
        {
            var sorted = failures.OrderBy(f => f.Seed).ToList();
            Assert.Fail($"failing seeds: {string.Join(", ", sorted.Select(f => f.Seed))}{Environment.NewLine}{sorted[0].Message}");
        }
    }

    /// <summary>Replays one seed (OPENNLB_SIM_SEED, else seed 1) and prints every event: how to read a failure.</summary>
    [Fact]
    public void ReplayOneSeed()
    {
        var output = TestContext.Current.TestOutputHelper;
        var seed = Setting("OPENNLB_SIM_SEED");
        var sim = SimScenario.Run(seed ?? 1, echo: seed is null ? null : line => output?.WriteLine(line));
        output?.WriteLine($"seed {sim.Seed}: {sim.Events} events, converged at {sim.Now} ms");
    }

    private static int? Setting(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) ? value : null;
}
