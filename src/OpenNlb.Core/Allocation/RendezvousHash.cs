using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OpenNlb.Core.Allocation;

/// <summary>
/// The fixed hash behind rendezvous (highest random weight) hashing: a 32-bit draw for each pair
/// of host id and bucket, uniform and independent-looking over both. Integer arithmetic only, so
/// that every host, whatever its CPU, draws the same numbers. Changing anything here changes every
/// map: hosts running different versions would then disagree (a golden test pins it).
/// </summary>
internal static class RendezvousHash
{
    private const uint BucketSpread = 0x9E3779B1; // 2^32 / golden ratio: spreads consecutive buckets
    private const uint Mix1 = 0x85EBCA6B;          // MurmurHash3's fmix32 constants
    private const uint Mix2 = 0xC2B2AE35;

    /// <summary>A per-host key, so that each host draws its own sequence.</summary>
    public static uint HostKey(int hostId)
    {
        // SplitMix64 of the id: distinct ids give unrelated keys.
        var z = ((ulong)hostId + 1) * 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (uint)((z ^ (z >> 31)) >> 32);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Draw(uint hostKey, int bucket)
    {
        var x = ((uint)bucket * BucketSpread) ^ hostKey;
        x ^= x >> 16;
        x *= Mix1;
        x ^= x >> 13;
        x *= Mix2;
        x ^= x >> 16;
        return x;
    }

    /// <summary>The draws of several buckets at once; the same numbers as the scalar <see cref="Draw(uint, int)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<uint> Draw(uint hostKey, Vector256<uint> buckets)
    {
        var x = (buckets * BucketSpread) ^ Vector256.Create(hostKey);
        x ^= Vector256.ShiftRightLogical(x, 16);
        x *= Mix1;
        x ^= Vector256.ShiftRightLogical(x, 13);
        x *= Mix2;
        x ^= Vector256.ShiftRightLogical(x, 16);
        return x;
    }

    /// <inheritdoc cref="Draw(uint, Vector256{uint})"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<uint> Draw(uint hostKey, Vector512<uint> buckets)
    {
        var x = (buckets * BucketSpread) ^ Vector512.Create(hostKey);
        x ^= Vector512.ShiftRightLogical(x, 16);
        x *= Mix1;
        x ^= Vector512.ShiftRightLogical(x, 13);
        x *= Mix2;
        x ^= Vector512.ShiftRightLogical(x, 16);
        return x;
    }
}
