using OpenNlb.Core.Convergence;

namespace OpenNlb.Core.Tests.Convergence;

/// <summary>
/// A discrete-event simulation of a cluster of <see cref="ConvergenceNode"/>s on a virtual
/// millisecond clock: nodes are ticked when they ask to be, their heartbeats and hand-over chunks
/// cross a <see cref="SimNetwork"/>, and a fake daemon answers hand-over requests and reports kept
/// buckets draining. After every event that reached a node, <see cref="SimInvariants.CheckSafety"/>
/// runs (and any extra check a test adds); a failure throws <see cref="SimulationException"/> with
/// the seed and the last events. Everything random comes from one seeded <see cref="Random"/>.
/// </summary>
internal sealed partial class ClusterSimulator(int seed)
{
    private readonly PriorityQueue<SimEvent, (long Time, long Order)> _queue = new();
    private long _order;
    private long _sameTimeEvents;
    private (long, long)[,] _pairChecked = new (long, long)[8, 8];

    public int Seed { get; } = seed;

    /// <summary>Whether the hosts take silent peers over (cluster.heartbeat.takeover); the default is off, as in a configuration that says nothing.</summary>
    public bool Takeover { get; init; }

    public Random Random { get; } = new(seed);

    public long Now { get; private set; }

    public SimNetwork Network { get; } = new();

    public List<SimHost> Hosts { get; } = [];

    public SimTrace Trace { get; } = new(40);

    /// <summary>Events that reached a node (and were checked).</summary>
    public long Events { get; private set; }

    /// <summary>Checks run after every event besides the safety invariant.</summary>
    public List<Action<ClusterSimulator>> Checks { get; } = [];

    public IEnumerable<SimHost> Running => Hosts.Where(h => h.Running);

    /// <summary>Runs <paramref name="action"/> at <paramref name="timeMs"/>; it returns what it did, for the trace, or null if it did nothing.</summary>
    public void Describe(long timeMs, Func<object?> action) => Enqueue(timeMs, new SimEvent(action, null));

    /// <summary>Runs <paramref name="action"/> at <paramref name="timeMs"/>; it returns false if it turned out to do nothing.</summary>
    public void At(long timeMs, string label, Func<bool> action) => Describe(timeMs, () => action() ? label : null);

    public void At(long timeMs, string label, Action action) => Describe(timeMs, () =>
    {
        action();
        return label;
    });

    public void RunUntil(long untilMs)
    {
        while (_queue.TryPeek(out var next, out var key) && key.Time <= untilMs)
        {
            _queue.Dequeue();
            _sameTimeEvents = key.Time == Now ? _sameTimeEvents + 1 : 0;
            if (_sameTimeEvents > 100_000)
            {
                Fail("more than 100,000 events at one instant: a node keeps asking to be woken now");
            }

            Now = key.Time;
            var what = next.Datagram is { } datagram ? Deliver(datagram) : next.Action!();
            if (what is null)
            {
                continue;
            }

            Events++;
            Trace.Add(Now, what, Changes());
            SimInvariants.CheckSafety(this);
            foreach (var check in Checks)
            {
                check(this);
            }
        }

        Now = Math.Max(Now, untilMs);
    }

    public void RunFor(long durationMs) => RunUntil(Now + durationMs);

    public SimHost Host(int priority) => Hosts.First(h => h.Priority == priority);

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public void Fail(string why) => throw new SimulationException(Seed, Now, why, Trace.Last());

    /// <summary>The versions of two hosts (by slot) when their pair last passed the safety check.</summary>
    public ref (long, long) PairChecked(int a, int b)
    {
        if (b >= _pairChecked.GetLength(0))
        {
            var bigger = new (long, long)[2 * b, 2 * b];
            for (var i = 0; i < _pairChecked.GetLength(0); i++)
            {
                for (var j = 0; j < _pairChecked.GetLength(1); j++)
                {
                    bigger[i, j] = _pairChecked[i, j];
                }
            }

            _pairChecked = bigger;
        }

        return ref _pairChecked[a, b];
    }

    private void Enqueue(long timeMs, SimEvent what) => _queue.Enqueue(what, (Math.Max(timeMs, Now), _order++));

    /// <summary>For each host whose state changed, what it is now (null if none changed).</summary>
    private string? Changes()
    {
        string? changes = null;
        foreach (var host in Hosts)
        {
            var node = host.Node;
            var now = node is null
                ? (null, 0UL, -1, false)
                : (node.Ownership, node.Adopted.Epoch, (int)node.State, node.IsParticipant);
            var before = host.Reported;
            if (!ReferenceEquals(now.Item1, before.Ownership) || now.Item2 != before.Epoch || now.Item3 != before.State
                || now.Item4 != before.Participant)
            {
                host.Reported = now;
                changes += node is null ? $" | {host.Name}: down" : $" | {host.Name}: {SimDescribe.Node(node)}";
            }
        }

        return changes;
    }

    /// <summary>An action, or a datagram to deliver.</summary>
    private readonly record struct SimEvent(Func<object?>? Action, SimDatagram? Datagram);
}
