using OpenNlb.Core.Convergence;
using OpenNlb.Core.Membership;
using OpenNlb.Core.Metrics;
using OpenNlb.Core.Status;

namespace OpenNlb.Daemon;

/// <summary>
/// What the loop measures for the metrics endpoint (docs/metrics.md) beyond its event counters:
/// lost datagrams, refused heartbeats, convergence and failover times; and the status a scrape
/// reads, taken on the loop like a query's. Everything here runs on the loop.
/// </summary>
internal sealed partial class NodeLoop
{
    private readonly SequenceGaps _gaps = new();
    private readonly FailoverClock _failovers = new();
    private IReadOnlyList<int> _adoptedMembers = [];
    private ulong _adoptedMembersEpoch = ulong.MaxValue;
    private double? _lastFailoverMs;

    /// <summary>The status as the loop sees it, for a scrape; null when the loop no longer takes work.</summary>
    public Task<HostStatus?> StatusAsync()
    {
        var done = new TaskCompletionSource<HostStatus?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = JudgeMs;
        if (!_events.Writer.TryWrite(() => done.SetResult(Snapshot(arrived))))
        {
            done.SetResult(null);
        }

        return done.Task;
    }

    /// <summary>An authentic, fresh datagram: gaps in its sender's sequence are datagrams that never arrived.</summary>
    /// <summary>Every datagram of a peer takes a number from one sequence: a gap is a datagram lost (or late).</summary>
    private void CountLost(int priority, ulong incarnation, ulong sequence)
    {
        var lost = _gaps.Observe(priority, incarnation, sequence);
        if (lost > 0)
        {
            counters.Add(EventCounterNames.HeartbeatsLost, lost);
        }
    }

    /// <summary>A heartbeat that passed the wire but whose sender is kept out counts as refused too, with the membership's reason.</summary>
    private void CountKeptOut(Observation outcome)
    {
        if (outcome is Observation.Mismatched or Observation.DuplicatePriority)
        {
            counters.Add(EventCounterNames.RejectedPrefix + (outcome == Observation.Mismatched ? "mismatched" : "duplicate_priority"));
        }
    }

    private void NoteJoined(int priority) => _failovers.Returned(priority);

    /// <summary>A host left the view: a failover starts if it was in the map and fell silent (not if it said it stopped).</summary>
    private void NoteLeft(int priority, long now)
    {
        var records = node.Peers(now).Where(p => p.Priority == priority).ToList();
        if (_adoptedMembers.Contains(priority) && records.Count > 0 && records.All(p => !p.Live))
        {
            _failovers.Lost(priority, now - records.Min(p => p.SilentForMs));
        }
    }

    /// <summary>
    /// This host took silent members over: their buckets are served from now, so their failovers
    /// end here (the new map that follows moves none of what was taken).
    /// </summary>
    private void NoteTakeover(long now)
    {
        var taken = node.TakenOver.Order().ToList();
        if (taken.Count == 0)
        {
            // Taken over and given back within one round of the loop: nothing reached the kernel.
            return;
        }

        var silentMs = node.Peers(now).Where(p => taken.Contains(p.Priority)).Select(p => (double)p.SilentForMs).DefaultIfEmpty(0).Max();
        var buckets = node.Ownership.StandbyPeers.Where(p => p.Active).Sum(p => p.Buckets.Sum(b => b.Count));
        Log.TookOver(log, string.Join(' ', taken), buckets, silentMs);
        EndFailovers(now, node.Adopted.Members.Select(m => m.Priority).Except(taken));
    }

    /// <summary>This host converged: time it, and end the failovers the new map completes.</summary>
    private void NoteConverged(long now, double? convergenceMs)
    {
        if (convergenceMs is { } ms)
        {
            counters.Add(EventCounterNames.ConvergencesTimed);
            counters.Add(EventCounterNames.ConvergenceMsTotal, (long)ms);
        }

        EndFailovers(now, node.Adopted.Members.Select(m => m.Priority));
    }

    private void EndFailovers(long now, IEnumerable<int> serving)
    {
        if (_failovers.Converged(now, serving) is { } failover)
        {
            _lastFailoverMs = failover;
            counters.Add(EventCounterNames.Failovers);
            counters.Add(EventCounterNames.FailoverMsTotal, failover);
        }
    }

    /// <summary>The map's hosts as of this round, for <see cref="NoteLeft"/> in the next: the node may have adopted a map without the lost host already.</summary>
    private void RememberMembers()
    {
        if (node.Adopted.Epoch != _adoptedMembersEpoch)
        {
            _adoptedMembersEpoch = node.Adopted.Epoch;
            _adoptedMembers = [.. node.Adopted.Members.Select(m => m.Priority)];
        }
    }
}
