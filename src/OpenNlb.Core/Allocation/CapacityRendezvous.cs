using System.Runtime.Intrinsics;

namespace OpenNlb.Core.Allocation;

/// <summary>
/// The buckets of one multiple-host rule, shared out by weighted rendezvous hashing with
/// capacities. Every (host, bucket) pair gets a key, an exponential arrival time at the host's
/// weight (<see cref="ExponentialRace"/>; earlier is better), and the pairs are taken in ascending
/// key order: a bucket goes to the host of its first pair that still has room. A host has room
/// below the floor of its weighted share, and up to the ceiling while round-ups remain. See
/// docs/allocation.md for why, and for how many buckets move.
/// </summary>
/// <remarks>
/// Only the order of the pairs matters, and it is total: key, then bucket, then host id. Taking all
/// pairs would mean sorting 16,384 x 64 of them, so <see cref="CapacityRendezvousRun"/> cuts the keys
/// into bands. The result is exactly that of one pass over all pairs in order.
/// </remarks>
internal static class CapacityRendezvous
{
    /// <summary>A pair packs its key (44 bits), the bucket (14 bits) and the host id - 1 (6 bits).</summary>
    public const int MaxBucketCount = 1 << BucketBits;

    internal const int BucketBits = 14;
    internal const int HostBits = 6;
    internal const int TieBits = BucketBits + HostBits;

    /// <summary>Owner of each bucket (a host id, never 0). Hosts in ascending id order, weights above 0.</summary>
    public static byte[] Allocate(ReadOnlySpan<byte> hostIds, ReadOnlySpan<int> weights, int bucketCount) =>
        Allocate(hostIds, weights, bucketCount, VectorWidthOfThisMachine);

    /// <summary>The widest vectors the CPU has (software-emulated vectors would be slower than scalar code).</summary>
    internal static int VectorWidthOfThisMachine =>
        Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 0;

    /// <summary>As above with a vector width of 512, 256 or 0 bits, so that tests can check they all agree.</summary>
    internal static byte[] Allocate(ReadOnlySpan<byte> hostIds, ReadOnlySpan<int> weights, int bucketCount, int vectorWidth)
    {
        var owners = new byte[bucketCount];
        if (hostIds.Length == 1)
        {
            owners.AsSpan().Fill(hostIds[0]);
            return owners;
        }

        var run = new CapacityRendezvousRun(hostIds, weights, owners, vectorWidth);
        try
        {
            run.Complete();
        }
        finally
        {
            run.Return();
        }

        return owners;
    }
}
