namespace OpenNlb.Core.Allocation;

/// <summary>
/// How many buckets each host of a multiple-host rule may own: its weighted share
/// bucketCount * w / sum(w) rounded down (<see cref="Floor"/>) or up (<see cref="Ceiling"/>).
/// Which hosts round up is not fixed here: the allocator lets the buckets decide (see
/// docs/allocation.md), so a change of membership does not shuffle the remainders.
/// </summary>
internal sealed class BucketShares
{
    public BucketShares(ReadOnlySpan<int> weights, int bucketCount)
    {
        long total = 0;
        foreach (var w in weights)
        {
            total += w;
        }

        Floor = new int[weights.Length];
        Ceiling = new int[weights.Length];
        var floors = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            var scaled = (long)bucketCount * weights[i];
            Floor[i] = (int)(scaled / total);
            Ceiling[i] = Floor[i] + (scaled % total == 0 ? 0 : 1);
            floors += Floor[i];
        }

        Remainder = bucketCount - floors;
    }

    public int[] Floor { get; }

    public int[] Ceiling { get; }

    /// <summary>Buckets left once every host has its floor: that many hosts round up.</summary>
    public int Remainder { get; }
}
