using System.Globalization;
using System.Net.Sockets;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Hashing;

namespace OpenNlb.EndToEnd.Tests.KernelHash;

/// <summary>
/// One rule of the test ruleset: flows to <see cref="DestinationPort"/> get the kernel's jhash of the
/// affinity's key as their conntrack mark. The key text comes from the same FlowHash.NftKeyExpression
/// that the daemon's renderer uses, so the test covers the text as well as the arithmetic.
/// </summary>
internal sealed record HashRule(
    AddressFamily Family, Protocol Transport, Affinity Affinity, int BucketCount, uint Seed, ushort DestinationPort)
{
    /// <summary>The jhash expression exactly as `nft list` prints it back.</summary>
    public string JhashExpression => string.Create(
        CultureInfo.InvariantCulture,
        $"jhash {FlowHash.NftKeyExpression(Affinity, Family, Transport)} mod {BucketCount} seed 0x{Seed:x}");

    // `ct direction original`: a TCP reset sent back to a client whose port happens to be a rule's
    // port must not overwrite the mark with the hash of the server's address.
    public string ToNft() => string.Create(
        CultureInfo.InvariantCulture,
        $"{TransportKeyword} dport {DestinationPort} ct direction original ct mark set {JhashExpression}");

    public string TransportKeyword => Transport == Protocol.Tcp ? "tcp" : "udp";

    /// <summary>Every transport x affinity x bucket count, on consecutive destination ports.</summary>
    public static IReadOnlyList<HashRule> Matrix(
        AddressFamily family, IReadOnlyList<int> bucketCounts, IReadOnlyList<uint> seeds, ushort firstPort)
    {
        var rules = new List<HashRule>();
        foreach (var transport in new[] { Protocol.Udp, Protocol.Tcp })
        {
            foreach (var affinity in new[] { Affinity.None, Affinity.Single, Affinity.Network })
            {
                foreach (var bucketCount in bucketCounts)
                {
                    var seed = seeds[rules.Count % seeds.Count];
                    rules.Add(new HashRule(family, transport, affinity, bucketCount, seed, (ushort)(firstPort + rules.Count)));
                }
            }
        }

        return rules;
    }
}
