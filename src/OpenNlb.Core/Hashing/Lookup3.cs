using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace OpenNlb.Core.Hashing;

/// <summary>
/// Bob Jenkins' lookup3 hash of a byte key, exactly as Linux's <c>jhash()</c> (include/linux/jhash.h)
/// computes it, which is what the nftables <c>jhash</c> expression runs in the kernel.
/// </summary>
/// <remarks>
/// The kernel reads each 12-byte block as three CPU-order 32-bit words. This model reads them
/// little-endian, i.e. it agrees with x86-64 and arm64 kernels; a big-endian kernel (s390x) would
/// bucket the same flows differently. The result equals lookup3's <c>hashlittle(key, length, seed)</c>.
/// </remarks>
public static class Lookup3
{
    /// <summary>JHASH_INITVAL: lookup3's arbitrary initial value.</summary>
    private const uint InitialValue = 0xdeadbeef;

    private const int BlockLength = 12;

    public static uint Hash(ReadOnlySpan<byte> key, uint seed)
    {
        uint a, b, c;
        a = b = c = InitialValue + (uint)key.Length + seed;

        // Strictly greater: a key of exactly 12 bytes (or the last full block of a longer one) goes
        // through the tail and the final mix, not through the block mix.
        while (key.Length > BlockLength)
        {
            a += BinaryPrimitives.ReadUInt32LittleEndian(key);
            b += BinaryPrimitives.ReadUInt32LittleEndian(key[4..]);
            c += BinaryPrimitives.ReadUInt32LittleEndian(key[8..]);
            Mix(ref a, ref b, ref c);
            key = key[BlockLength..];
        }

        // An empty tail skips the final mix: jhash("", 0, seed) is 0xdeadbeef + seed.
        if (key.IsEmpty)
        {
            return c;
        }

        // The kernel's fall-through switch adds byte i of the tail at bits 8*(i%4) of word i/4; that is
        // the same as zero-padding the tail to 12 bytes and adding three little-endian words.
        Span<byte> tail = stackalloc byte[BlockLength];
        tail.Clear();
        key.CopyTo(tail);
        a += BinaryPrimitives.ReadUInt32LittleEndian(tail);
        b += BinaryPrimitives.ReadUInt32LittleEndian(tail[4..]);
        c += BinaryPrimitives.ReadUInt32LittleEndian(tail[8..]);
        Final(ref a, ref b, ref c);
        return c;
    }

    /// <summary>__jhash_mix: mixes a 12-byte block into the state, reversibly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Mix(ref uint a, ref uint b, ref uint c)
    {
        a -= c; a ^= BitOperations.RotateLeft(c, 4); c += b;
        b -= a; b ^= BitOperations.RotateLeft(a, 6); a += c;
        c -= b; c ^= BitOperations.RotateLeft(b, 8); b += a;
        a -= c; a ^= BitOperations.RotateLeft(c, 16); c += b;
        b -= a; b ^= BitOperations.RotateLeft(a, 19); a += c;
        c -= b; c ^= BitOperations.RotateLeft(b, 4); b += a;
    }

    /// <summary>__jhash_final: the final avalanche of the three state words into c.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Final(ref uint a, ref uint b, ref uint c)
    {
        c ^= b; c -= BitOperations.RotateLeft(b, 14);
        a ^= c; a -= BitOperations.RotateLeft(c, 11);
        b ^= a; b -= BitOperations.RotateLeft(a, 25);
        c ^= b; c -= BitOperations.RotateLeft(b, 16);
        a ^= c; a -= BitOperations.RotateLeft(c, 4);
        b ^= a; b -= BitOperations.RotateLeft(a, 14);
        c ^= b; c -= BitOperations.RotateLeft(b, 24);
    }
}
