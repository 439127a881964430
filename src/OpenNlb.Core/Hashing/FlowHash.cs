using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using OpenNlb.Core.Configuration;

namespace OpenNlb.Core.Hashing;

/// <summary>
/// The bucket of a client flow, bit for bit as the kernel computes it with
/// <c>jhash &lt;NftKeyExpression&gt; mod &lt;bucketCount&gt; seed &lt;seed&gt;</c>. The key bytes and the nft key
/// expression are defined here together so that the model and the ruleset cannot drift apart.
/// </summary>
public static class FlowHash
{
    /// <summary>The longest key: an IPv6 address and a padded port.</summary>
    public const int MaxKeyLength = 16 + PaddedPortLength;

    /// <summary>Network affinity keeps the client's /24 for IPv4 ...</summary>
    public const int NetworkPrefixLengthIPv4 = 24;

    /// <summary>... and its /56 for IPv6 (a typical end-site allocation).</summary>
    public const int NetworkPrefixLengthIPv6 = 56;

    /// <summary>
    /// nft concatenations put each field in its own 32-bit register, so the 2-byte port is followed by
    /// 2 zero bytes in the hashed key (nft --debug=netlink shows <c>jhash(reg 2, 8, ...)</c> for
    /// <c>ip saddr . udp sport</c>).
    /// </summary>
    private const int PaddedPortLength = 4;

    /// <summary>
    /// Writes the bytes the kernel hashes for <paramref name="affinity"/>: None = address (network
    /// order) . port (network order) . 2 zero bytes; Single = address; Network = address masked to
    /// the /24 or /56. An IPv4-mapped IPv6 client is an IPv4 packet on the wire and is keyed as IPv4.
    /// </summary>
    /// <returns>The key length: 8, 4 or 4 for IPv4; 20, 16 or 16 for IPv6.</returns>
    public static int WriteKey(Affinity affinity, IPAddress client, ushort clientPort, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(client);
        Span<byte> address = stackalloc byte[16];
        var family = WriteAddress(client, address, out var addressLength);
        var keyLength = affinity switch
        {
            Affinity.None => addressLength + PaddedPortLength,
            Affinity.Single or Affinity.Network => addressLength,
            _ => throw new ArgumentOutOfRangeException(nameof(affinity), affinity, "Unknown affinity."),
        };
        if (destination.Length < keyLength)
        {
            throw new ArgumentException(
                $"The key needs {keyLength} bytes; the destination has {destination.Length}.", nameof(destination));
        }

        address[..addressLength].CopyTo(destination);
        if (affinity == Affinity.None)
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination[addressLength..], clientPort);
            destination.Slice(addressLength + 2, PaddedPortLength - 2).Clear();
        }
        else if (affinity == Affinity.Network)
        {
            ApplyPrefix(destination[..addressLength], NetworkPrefixLength(family));
        }

        return keyLength;
    }

    /// <summary>The bucket in [0, <paramref name="bucketCount"/>) that the kernel gives this flow.</summary>
    public static int Bucket(Affinity affinity, IPAddress client, ushort clientPort, uint seed, int bucketCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bucketCount);
        Span<byte> key = stackalloc byte[MaxKeyLength];
        var length = WriteKey(affinity, client, clientPort, key);
        return (int)ReciprocalScale.Scale(Lookup3.Hash(key[..length], seed), (uint)bucketCount);
    }

    /// <summary>
    /// The nft expression that goes after <c>jhash</c> in the ruleset, e.g. <c>ip saddr . tcp sport</c>.
    /// <paramref name="l4"/> must be Tcp or Udp for affinity None (the port is in the key); for Single
    /// and Network it is not used, so Both is accepted there.
    /// </summary>
    public static string NftKeyExpression(Affinity affinity, AddressFamily family, Protocol l4)
    {
        var saddr = family switch
        {
            AddressFamily.InterNetwork => "ip saddr",
            AddressFamily.InterNetworkV6 => "ip6 saddr",
            _ => throw new ArgumentOutOfRangeException(nameof(family), family, "Only IPv4 and IPv6 are hashed."),
        };
        return affinity switch
        {
            Affinity.None => $"{saddr} . {TransportKeyword(l4)} sport",
            Affinity.Single => saddr,
            Affinity.Network => $"{saddr} & {NetworkMask(family)}",
            _ => throw new ArgumentOutOfRangeException(nameof(affinity), affinity, "Unknown affinity."),
        };
    }

    /// <summary>The prefix that network affinity keeps: 24 for IPv4, 56 for IPv6.</summary>
    public static int NetworkPrefixLength(AddressFamily family) => family switch
    {
        AddressFamily.InterNetwork => NetworkPrefixLengthIPv4,
        AddressFamily.InterNetworkV6 => NetworkPrefixLengthIPv6,
        _ => throw new ArgumentOutOfRangeException(nameof(family), family, "Only IPv4 and IPv6 are hashed."),
    };

    private static AddressFamily WriteAddress(IPAddress client, Span<byte> address, out int length)
    {
        if (!client.TryWriteBytes(address, out length))
        {
            throw new ArgumentException($"Cannot read the bytes of {client}.", nameof(client));
        }

        if (client.AddressFamily == AddressFamily.InterNetworkV6 && client.IsIPv4MappedToIPv6)
        {
            // ::ffff:a.b.c.d: the last 4 bytes are the IPv4 address.
            address.Slice(12, 4).CopyTo(address);
            length = 4;
            return AddressFamily.InterNetwork;
        }

        return client.AddressFamily;
    }

    private static void ApplyPrefix(Span<byte> address, int prefixLength)
    {
        for (var i = 0; i < address.Length; i++)
        {
            address[i] &= MaskByte(i, prefixLength);
        }
    }

    private static byte MaskByte(int index, int prefixLength)
    {
        var bits = Math.Clamp(prefixLength - (index * 8), 0, 8);
        return (byte)(0xFF00 >> bits);
    }

    /// <summary>The mask as nft writes it back: 255.255.255.0 or ffff:ffff:ffff:ff00::.</summary>
    private static string NetworkMask(AddressFamily family)
    {
        Span<byte> mask = stackalloc byte[family == AddressFamily.InterNetwork ? 4 : 16];
        mask.Fill(0xFF);
        ApplyPrefix(mask, NetworkPrefixLength(family));
        return new IPAddress(mask).ToString();
    }

    private static string TransportKeyword(Protocol l4) => l4 switch
    {
        Protocol.Tcp => "tcp",
        Protocol.Udp => "udp",
        _ => throw new ArgumentOutOfRangeException(
            nameof(l4), l4, "Affinity none hashes the source port, which needs one transport: Tcp or Udp."),
    };
}
