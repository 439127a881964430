namespace OpenNlb.Core.Allocation;

/// <summary>
/// Turns a host's 32-bit draw for a bucket into its key, -ln(1 - u) / weight with u = draw / 2^32
/// uniform in [0, 1): an exponential "arrival time" whose rate is the weight. The host with the earliest
/// arrival is each bucket's first choice with probability exactly weight / sum(weights), whatever
/// the set of hosts; that is what rendezvous hashing needs to be weighted without bias. (The
/// simpler draw / weight favours heavy hosts in small clusters, and the capacities then have to
/// correct it, which moves buckets on every membership change: see docs/allocation.md.)
/// </summary>
/// <remarks>
/// Integer arithmetic only, so that every host computes the same keys: the logarithm comes from a
/// table computed with integer operations, interpolated linearly (within 2^-13 of the curve, which
/// shifts each host's share of first choices by far less than one bucket). Keys are 44-bit
/// fixed-point numbers (2^39 = 1) and never decrease as the draw grows.
/// </remarks>
internal static class ExponentialRace
{
    /// <summary>Keys are below 2^KeyBits.</summary>
    public const int KeyBits = 44;

    /// <summary>Fixed-point scale of -ln(1 - u): 2^39, so that -ln(2^-33) = 22.9 stays below 2^44.</summary>
    private const int FractionBits = 39;

    private const int SegmentBits = 12;
    private const int OffsetBits = 32 - SegmentBits;

    /// <summary>-ln(1 - i / 4096) for i in 0..4095, then -ln(2^-33): beyond the last draw's -ln(2^-32), so keys keep growing.</summary>
    private static readonly ulong[] Table = BuildTable();

    /// <summary>floor(2^32 / weight) for weights 1..100: the key's division by the weight as a multiplication.</summary>
    public static ulong Reciprocal(int weight) => (1UL << 32) / (ulong)weight;

    /// <summary>The key of a draw for a host with the given <see cref="Reciprocal(int)"/>: smaller is earlier.</summary>
    public static ulong Key(uint draw, ulong reciprocal)
    {
        var segment = (int)(draw >> OffsetBits);
        var offset = draw & ((1u << OffsetBits) - 1);
        var start = Table[segment];
        var arrival = start + (((Table[segment + 1] - start) * offset) >> OffsetBits);

        // arrival * reciprocal / 2^32 with a 128-bit product (arrival < 2^44, reciprocal <= 2^32).
        var high = Math.BigMul(arrival, reciprocal, out var low);
        return (high << 32) | (low >> 32);
    }

    /// <summary>How many draws (all of them from 0 up) have a key below <paramref name="end"/>: 0..2^32.</summary>
    public static ulong DrawsBelow(UInt128 end, ulong reciprocal)
    {
        // Keys increase with the draw: find the first draw whose key reaches end.
        ulong low = 0;
        var high = 1UL << 32;
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (Key((uint)middle, reciprocal) < end)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }

    private static ulong[] BuildTable()
    {
        const int segments = 1 << SegmentBits;
        var table = new ulong[segments + 1];
        for (var i = 0; i < segments; i++)
        {
            table[i] = (ulong)(FixedLog.Ln(segments, (ulong)(segments - i)) >> (64 - FractionBits));
        }

        table[segments] = (ulong)(FixedLog.Ln(1UL << 33, 1) >> (64 - FractionBits));
        return table;
    }
}
