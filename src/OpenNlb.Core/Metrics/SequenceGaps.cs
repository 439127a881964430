namespace OpenNlb.Core.Metrics;

/// <summary>
/// Counts other hosts' datagrams that never arrived, from gaps in their sequence numbers: a host
/// numbers its heartbeats and hand-over chunks in one sequence per incarnation, one apart. Fed only
/// with datagrams the wire took (authentic, not replayed), so a forged number cannot inflate it.
/// A restart (new incarnation) starts afresh. Pure; one receive path owns it.
/// </summary>
public sealed class SequenceGaps
{
    private readonly Dictionary<int, (ulong Incarnation, ulong Sequence)> _last = [];

    /// <summary>How many datagrams of this sender went missing between its last one and this one.</summary>
    public long Observe(int priority, ulong incarnation, ulong sequence)
    {
        if (_last.TryGetValue(priority, out var last) && last.Incarnation == incarnation)
        {
            if (sequence <= last.Sequence)
            {
                return 0;
            }

            _last[priority] = (incarnation, sequence);
            return (long)Math.Min(sequence - last.Sequence - 1, int.MaxValue);
        }

        // A first datagram, or another incarnation (a restart; or two hosts wrongly given one
        // priority, whose sequences cannot be compared): nothing to measure against yet.
        _last[priority] = (incarnation, sequence);
        return 0;
    }
}
