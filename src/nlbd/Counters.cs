using System.Collections.Concurrent;

namespace OpenNlb.Daemon;

/// <summary>Event counters shown by <c>nlb query</c> and in the status file: monotonic, by name.</summary>
internal sealed class Counters
{
    private readonly ConcurrentDictionary<string, long> _values = new(StringComparer.Ordinal);

    public void Add(string name, long by = 1) => _values.AddOrUpdate(name, by, (_, v) => v + by);

    public IReadOnlyDictionary<string, long> Snapshot() =>
        new SortedDictionary<string, long>(_values, StringComparer.Ordinal);
}
