namespace OpenNlb.Core.DataPlane;

/// <summary>
/// A set of one rule's buckets as a bitmap indexed by bucket: what moves, updates and hand-overs
/// test membership with. Not a hash set: a hash set of a rule's 16,384 buckets is a 200 KB
/// large-object allocation, and spending the large-object budget costs a full collection that
/// stops every thread of nlbd (measured: the heartbeat watchdog woke up to 167 ms late during
/// moves, and the lease lapsed).
/// </summary>
public static class BucketBitmap
{
    /// <summary>A bitmap of <paramref name="size"/> entries with <paramref name="buckets"/> set.</summary>
    public static bool[] Of(IEnumerable<int> buckets, int size)
    {
        var bitmap = new bool[size];
        foreach (var b in buckets)
        {
            bitmap[b] = true;
        }

        return bitmap;
    }

    /// <summary>Large enough for every bucket of the lists: one more than the largest (0 when all are empty).</summary>
    public static int SizeFor(params IReadOnlyList<int>[] lists) =>
        1 + lists.Max(l => l.Count == 0 ? -1 : l.Max());

    /// <summary>The buckets set, ascending.</summary>
    public static int[] Indices(bool[] bitmap)
    {
        var list = new List<int>();
        for (var b = 0; b < bitmap.Length; b++)
        {
            if (bitmap[b])
            {
                list.Add(b);
            }
        }

        return list.ToArray();
    }
}
