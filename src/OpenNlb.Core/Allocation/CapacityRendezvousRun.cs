using System.Buffers;
using System.Numerics;
using System.Runtime.Intrinsics;

namespace OpenNlb.Core.Allocation;

/// <summary>
/// One allocation by <see cref="CapacityRendezvous"/>, band by band. The first band ends where a
/// bucket has about <see cref="FirstBandPairsPerBucket"/> pairs on average and assigns all but a few
/// hundred buckets; each later band, four times as wide, only looks at buckets still without an
/// owner. Bands split keys, never pairs with equal keys, so taking band after band is taking all
/// pairs in order.
/// </summary>
internal sealed class CapacityRendezvousRun
{
    private const int FirstBandPairsPerBucket = 4;
    private const int TieBits = CapacityRendezvous.TieBits;
    private const int HostBits = CapacityRendezvous.HostBits;

    private static readonly UInt128 KeySpace = (UInt128)1 << ExponentialRace.KeyBits;

    private readonly byte[] hostIds;
    private readonly uint[] hostKeys;
    private readonly ulong[] reciprocals;
    private readonly int[] slotOfHost = new int[Member.MaxPriority + 1];
    private readonly int[] counts;
    private readonly BucketShares shares;
    private readonly byte[] owners;
    private readonly long totalWeight;
    private readonly int vectorWidth;
    private ulong[] pairs;
    private int pairCount;
    private int roundUpsLeft;
    private int assigned;

    public CapacityRendezvousRun(ReadOnlySpan<byte> hostIds, ReadOnlySpan<int> weights, byte[] owners, int vectorWidth)
    {
        this.vectorWidth = vectorWidth;
        this.hostIds = hostIds.ToArray();
        this.owners = owners;
        hostKeys = new uint[hostIds.Length];
        reciprocals = new ulong[hostIds.Length];
        counts = new int[hostIds.Length];
        for (var i = 0; i < hostIds.Length; i++)
        {
            hostKeys[i] = RendezvousHash.HostKey(hostIds[i]);
            reciprocals[i] = ExponentialRace.Reciprocal(weights[i]);
            slotOfHost[hostIds[i]] = i;
            totalWeight += weights[i];
        }

        shares = new BucketShares(weights, owners.Length);
        roundUpsLeft = shares.Remainder;
        pairs = ArrayPool<ulong>.Shared.Rent((FirstBandPairsPerBucket + 2) * owners.Length);
    }

    public void Complete()
    {
        // The first band ends where a bucket has FirstBandPairsPerBucket pairs on average:
        // P(key < end) is about end * w / 2^39 for each host (keys are arrival times * 2^39).
        var end = UInt128.Min(KeySpace, ((UInt128)FirstBandPairsPerBucket << 39) / (ulong)totalWeight);
        CollectFirstBand(end);
        Take();
        while (assigned < owners.Length)
        {
            // Every bucket finds a host by the last band (see docs/allocation.md); never loop on.
            if (end == KeySpace)
            {
                throw new InvalidOperationException("buckets left without an owner after the last band");
            }

            var start = end;
            end = UInt128.Min(KeySpace, (start * 4) + 1);
            CollectUnassigned(start, end);
            Take();
        }
    }

    public void Return() => ArrayPool<ulong>.Shared.Return(pairs);

    private void CollectFirstBand(UInt128 end)
    {
        pairCount = 0;
        for (var slot = 0; slot < hostIds.Length; slot++)
        {
            // A host contributes at most one pair per bucket: make room once, not per pair.
            EnsureRoom(owners.Length);

            // Keys grow with the draw: the pairs in the band are those whose draw is below a limit.
            var limit = ExponentialRace.DrawsBelow(end, reciprocals[slot]);
            var below = limit > uint.MaxValue ? uint.MaxValue : (uint)limit;
            var all = limit > uint.MaxValue;
            var bucket = vectorWidth switch
            {
                512 => CollectWide(slot, below, all),
                256 => CollectNarrow(slot, below, all),
                _ => 0,
            };
            for (; bucket < owners.Length; bucket++)
            {
                var draw = RendezvousHash.Draw(hostKeys[slot], bucket);
                if (all || draw < below)
                {
                    pairs[pairCount++] = Pair(slot, bucket, draw);
                }
            }
        }
    }

    /// <summary>The first band's pairs of one host, sixteen buckets at a time; returns where it stopped.</summary>
    private int CollectWide(int slot, uint below, bool all)
    {
        var lanes = Vector512<uint>.Count;
        Span<uint> draws = stackalloc uint[lanes];
        var limit = Vector512.Create(below);
        var buckets = Vector512<uint>.Indices;
        var step = Vector512.Create((uint)lanes);
        var bucket = 0;
        for (; bucket + lanes <= owners.Length; bucket += lanes, buckets += step)
        {
            var x = RendezvousHash.Draw(hostKeys[slot], buckets);
            var inBand = all ? ulong.MaxValue : Vector512.LessThan(x, limit).ExtractMostSignificantBits();
            if (inBand != 0)
            {
                x.CopyTo(draws);
                Emit(slot, bucket, draws, inBand & ((1UL << lanes) - 1));
            }
        }

        return bucket;
    }

    /// <inheritdoc cref="CollectWide"/>
    private int CollectNarrow(int slot, uint below, bool all)
    {
        var lanes = Vector256<uint>.Count;
        Span<uint> draws = stackalloc uint[lanes];
        var limit = Vector256.Create(below);
        var buckets = Vector256<uint>.Indices;
        var step = Vector256.Create((uint)lanes);
        var bucket = 0;
        for (; bucket + lanes <= owners.Length; bucket += lanes, buckets += step)
        {
            var x = RendezvousHash.Draw(hostKeys[slot], buckets);
            var inBand = all ? uint.MaxValue : Vector256.LessThan(x, limit).ExtractMostSignificantBits();
            if (inBand != 0)
            {
                x.CopyTo(draws);
                Emit(slot, bucket, draws, inBand & ((1UL << lanes) - 1));
            }
        }

        return bucket;
    }

    private void Emit(int slot, int firstBucket, ReadOnlySpan<uint> draws, ulong lanes)
    {
        for (; lanes != 0; lanes &= lanes - 1)
        {
            var lane = BitOperations.TrailingZeroCount(lanes);
            pairs[pairCount++] = Pair(slot, firstBucket + lane, draws[lane]);
        }
    }

    private void CollectUnassigned(UInt128 start, UInt128 end)
    {
        pairCount = 0;
        for (var bucket = 0; bucket < owners.Length; bucket++)
        {
            if (owners[bucket] != 0)
            {
                continue;
            }

            for (var slot = 0; slot < hostIds.Length; slot++)
            {
                var draw = RendezvousHash.Draw(hostKeys[slot], bucket);
                var key = ExponentialRace.Key(draw, reciprocals[slot]);
                if (key >= start && key < end)
                {
                    EnsureRoom(1);
                    pairs[pairCount++] = Pair(slot, bucket, draw);
                }
            }
        }
    }

    private void EnsureRoom(int more)
    {
        if (pairCount + more > pairs.Length)
        {
            var larger = ArrayPool<ulong>.Shared.Rent(Math.Max(pairs.Length * 2, pairCount + more));
            pairs.AsSpan(0, pairCount).CopyTo(larger);
            ArrayPool<ulong>.Shared.Return(pairs);
            pairs = larger;
        }
    }

    /// <summary>The pair as one number: key, then bucket, then host id - 1, so that sorting numbers sorts pairs.</summary>
    private ulong Pair(int slot, int bucket, uint draw) =>
        (ExponentialRace.Key(draw, reciprocals[slot]) << TieBits)
        | ((ulong)bucket << HostBits)
        | ((ulong)hostIds[slot] - 1);

    private void Take()
    {
        var band = pairs.AsSpan(0, pairCount);
        UniformSort.Sort(band);
        var floor = shares.Floor;
        var ceiling = shares.Ceiling;
        foreach (var pair in band)
        {
            var bucket = (int)(pair >> HostBits) & (CapacityRendezvous.MaxBucketCount - 1);
            if (owners[bucket] != 0)
            {
                continue;
            }

            var host = (int)(pair & ((1 << HostBits) - 1)) + 1;
            var slot = slotOfHost[host];
            if (counts[slot] >= floor[slot])
            {
                if (counts[slot] >= ceiling[slot] || roundUpsLeft == 0)
                {
                    continue;
                }

                roundUpsLeft--;
            }

            owners[bucket] = (byte)host;
            counts[slot]++;
            if (++assigned == owners.Length)
            {
                return;
            }
        }
    }
}
