namespace OpenNlb.Core.Membership;

/// <summary>
/// Refuses authentic datagrams that were already taken: a captured heartbeat or hand-over sent
/// again by someone on the cluster network passes the tag check, so freshness is judged apart.
/// Per sender host priority it remembers the last sequence of up to <see cref="IncarnationsKept"/>
/// incarnations. Heartbeats and hand-overs share one sequence space per sender, so one guard
/// judges both. Pure and clock-free; not thread-safe (one receive path owns it).
/// </summary>
/// <remarks>
/// Several incarnations, not just the newest, because two live hosts wrongly given one priority
/// both send: were only the newest kept, the earlier-started one would look like a replay and the
/// duplicate would never be seen. With room for four, both stay fresh and the membership layer
/// reports the duplicate. The price: while fewer than four incarnations of a priority are
/// remembered, a recorded datagram of an earlier incarnation that this host never heard is taken
/// once; its incarnation then takes a slot, and its later repeats are refused.
/// </remarks>
public sealed class ReplayGuard
{
    public const int IncarnationsKept = 4;

    private const int Priorities = 64;

    private readonly ulong[] _incarnations = new ulong[Priorities * IncarnationsKept];
    private readonly ulong[] _sequences = new ulong[Priorities * IncarnationsKept];
    private readonly byte[] _counts = new byte[Priorities];

    /// <summary>
    /// Judges a datagram and, when fresh, remembers it. A repeated or older sequence of a known
    /// incarnation is a replay; so is an unknown incarnation older than all four remembered. Any
    /// other unknown incarnation is fresh (a restart, or a second host with this priority) and,
    /// when four are remembered, replaces the oldest.
    /// </summary>
    public ReplayVerdict Check(int priority, ulong incarnation, ulong sequence)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(priority, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(priority, Priorities);
        var first = (priority - 1) * IncarnationsKept;
        var count = _counts[priority - 1];
        var oldest = -1;
        for (var slot = first; slot < first + count; slot++)
        {
            if (_incarnations[slot] == incarnation)
            {
                if (sequence <= _sequences[slot])
                {
                    return ReplayVerdict.Replayed;
                }

                _sequences[slot] = sequence;
                return ReplayVerdict.Fresh;
            }

            if (oldest < 0 || _incarnations[slot] < _incarnations[oldest])
            {
                oldest = slot;
            }
        }

        int target;
        if (count < IncarnationsKept)
        {
            target = first + count;
            _counts[priority - 1]++;
        }
        else if (incarnation < _incarnations[oldest])
        {
            // Every incarnation ever forgotten was older than all those still remembered, so this
            // one is either forgotten or older still: either way not a live sender's.
            return ReplayVerdict.Replayed;
        }
        else
        {
            target = oldest;
        }

        _incarnations[target] = incarnation;
        _sequences[target] = sequence;
        return ReplayVerdict.Fresh;
    }

    /// <summary>The incarnations remembered for a priority, oldest first (for status and tests).</summary>
    public IReadOnlyList<ulong> Incarnations(int priority)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(priority, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(priority, Priorities);
        var first = (priority - 1) * IncarnationsKept;
        return [.. _incarnations.AsSpan(first, _counts[priority - 1]).ToArray().Order()];
    }
}
