namespace OpenNlb.Core.Tests.Convergence;

/// <summary>A check failed: says which, with the seed and the last events so that the run can be replayed.</summary>
public sealed class SimulationException : Exception
{
    public SimulationException()
    {
    }

    public SimulationException(string message)
        : base(message)
    {
    }

    public SimulationException(string message, Exception inner)
        : base(message, inner)
    {
    }

    internal SimulationException(int seed, long nowMs, string why, IEnumerable<string> lastEvents)
        : base($"seed {seed}, t={nowMs} ms: {why}{Environment.NewLine}"
            + $"replay with OPENNLB_SIM_SEED={seed}; last events (time ms, event | hosts it changed):{Environment.NewLine}"
            + string.Join(Environment.NewLine, lastEvents))
    {
    }
}
