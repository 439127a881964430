namespace OpenNlb.Core.Metrics;

/// <summary>
/// Measures failovers as an operator sees them: from the last heartbeat heard from a host of the
/// cluster map that fell silent to this host serving what it inherits of it: taken over (the
/// detection time and one small transaction), or converged on a map without it where no takeover
/// was possible. The time the dead host's flows had no server here. Pure: the loop tells it what it
/// saw and when, as a set of hosts this host no longer waits for.
/// </summary>
public sealed class FailoverClock
{
    private readonly Dictionary<int, long> _silentSince = [];

    /// <summary>A host of the adopted map left the view without saying it stopped; it was last heard at <paramref name="lastHeardMs"/>.</summary>
    public void Lost(int priority, long lastHeardMs) => _silentSince[priority] = lastHeardMs;

    /// <summary>The host came back before this host converged without it: no failover to measure.</summary>
    public void Returned(int priority) => _silentSince.Remove(priority);

    /// <summary>
    /// This host converged on a map of <paramref name="members"/>. Returns the failover's duration
    /// when the map leaves out a host that fell silent (several at once: from the first of them),
    /// else null.
    /// </summary>
    public long? Converged(long nowMs, IEnumerable<int> members)
    {
        var remaining = members.ToHashSet();
        var done = _silentSince.Where(s => !remaining.Contains(s.Key)).ToList();
        if (done.Count == 0)
        {
            return null;
        }

        foreach (var (priority, _) in done)
        {
            _silentSince.Remove(priority);
        }

        return nowMs - done.Min(s => s.Value);
    }
}
