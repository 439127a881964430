namespace OpenNlb.Core.Tests.Convergence;

/// <summary>
/// The last events of a run, to print with the seed when a check fails. An event is kept as the
/// object that describes it and formatted only when printed: most runs never print.
/// </summary>
internal sealed class SimTrace(int capacity)
{
    private readonly (long Time, object What, string? Changes)[] _entries = new (long, object, string?)[capacity];
    private long _count;

    /// <summary>When set, every event is also written here as it happens (to follow one seed in full).</summary>
    public Action<string>? Echo { get; set; }

    public void Add(long timeMs, object what, string? changes = null)
    {
        _entries[_count++ % _entries.Length] = (timeMs, what, changes);
        Echo?.Invoke(Format(_entries[(_count - 1) % _entries.Length]));
    }

    public IEnumerable<string> Last()
    {
        for (var i = Math.Max(0, _count - _entries.Length); i < _count; i++)
        {
            yield return Format(_entries[i % _entries.Length]);
        }
    }

    private static string Format((long Time, object What, string? Changes) entry) => $"{entry.Time,6} {entry.What}{entry.Changes}";
}
