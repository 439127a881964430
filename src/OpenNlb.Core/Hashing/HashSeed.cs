using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace OpenNlb.Core.Hashing;

/// <summary>
/// The jhash seed of a cluster. Part of the cluster contract: every host of a cluster, whatever its
/// version, must derive the same seed from the same name, or hosts disagree on who owns a bucket.
/// </summary>
public static class HashSeed
{
    /// <summary>
    /// The first 4 bytes of SHA-256 over the UTF-8 cluster name, read big-endian: the seed is the
    /// first 8 hex digits of <c>printf %s NAME | sha256sum</c> (for "lab": 0xa51146d3). Never change this.
    /// </summary>
    public static uint ForCluster(string clusterName)
    {
        ArgumentNullException.ThrowIfNull(clusterName);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(clusterName));
        return BinaryPrimitives.ReadUInt32BigEndian(digest);
    }
}
