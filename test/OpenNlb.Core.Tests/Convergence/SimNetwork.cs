namespace OpenNlb.Core.Tests.Convergence;

/// <summary>
/// The cluster network between simulated hosts (by slot): per-datagram loss, a random delay (so
/// datagrams overtake each other), duplicates, one partition at a time and one-way cuts. A
/// datagram is dropped if the path is blocked when it is sent or when it arrives.
/// </summary>
internal sealed class SimNetwork
{
    private readonly HashSet<(int From, int To)> _cuts = [];
    private HashSet<int>? _sideA;
    private int _partitionId;

    public double Loss { get; set; }

    public int MaxDelayMs { get; set; }

    public double Duplicate { get; set; }

    public bool Partitioned => _sideA is not null;

    /// <summary>Splits the hosts in two; returns an id that <see cref="Heal(int)"/> takes, so that an old heal does not end a newer partition.</summary>
    public int Partition(IEnumerable<int> sideA)
    {
        _sideA = [.. sideA];
        return ++_partitionId;
    }

    public void Heal(int partitionId)
    {
        if (partitionId == _partitionId)
        {
            _sideA = null;
        }
    }

    public void Cut(int from, int to) => _cuts.Add((from, to));

    public void Mend(int from, int to) => _cuts.Remove((from, to));

    /// <summary>No loss, no partition, no cut; delays and duplicates stay (they are not faults).</summary>
    public void HealAll()
    {
        Loss = 0;
        _sideA = null;
        _cuts.Clear();
    }

    public bool Blocked(int from, int to) =>
        _cuts.Contains((from, to)) || (_sideA is { } a && a.Contains(from) != a.Contains(to));

    /// <summary>The delays after which copies of one datagram arrive: none if it is lost.</summary>
    public int Copies(Random random, int from, int to, Span<long> delays)
    {
        if (Blocked(from, to) || random.NextDouble() < Loss)
        {
            return 0;
        }

        var copies = random.NextDouble() < Duplicate ? 2 : 1;
        for (var i = 0; i < copies; i++)
        {
            delays[i] = random.Next(MaxDelayMs + 1);
        }

        return copies;
    }

    public override string ToString() =>
        $"loss {Loss:P0}, delay 0-{MaxDelayMs} ms, dup {Duplicate:P0}"
        + (_sideA is { } a ? $", partition {{{string.Join(",", a.Order())}}}" : "")
        + (_cuts.Count > 0 ? $", cuts {string.Join(" ", _cuts.Select(c => $"{c.From}>{c.To}"))}" : "");
}
