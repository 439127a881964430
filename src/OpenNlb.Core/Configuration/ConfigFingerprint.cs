using System.Buffers.Binary;
using System.Security.Cryptography;

namespace OpenNlb.Core.Configuration;

/// <summary>
/// A 64-bit digest of the cluster section: the first 8 bytes (big-endian) of SHA-256 over a
/// versioned canonical encoding. Hosts compare it to keep a host with a different cluster section
/// out, so it must be the same in every process, on every machine and in every version that speaks
/// the same heartbeat: never derive it from GetHashCode, and change the encoding only together with
/// its version string.
/// </summary>
public static class ConfigFingerprint
{
    public static ulong Of(ClusterConfig cluster)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(FingerprintEncoding.Encode(cluster), hash);
        return BinaryPrimitives.ReadUInt64BigEndian(hash);
    }
}
