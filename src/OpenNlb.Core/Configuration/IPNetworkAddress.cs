using System.Net;

namespace OpenNlb.Core.Configuration;

/// <summary>An interface address with its prefix length, like 10.9.0.11/24 or 2001:db8::11/64.</summary>
public readonly record struct IPNetworkAddress(IPAddress Address, int PrefixLength)
{
    public IPNetwork Network => new(Masked(keepHostBits: false), PrefixLength);

    /// <summary>The IPv4 broadcast address of the network (all host bits set).</summary>
    public IPAddress Broadcast => Masked(keepHostBits: true);

    public override string ToString() => $"{Address}/{PrefixLength}";

    private IPAddress Masked(bool keepHostBits)
    {
        var bytes = Address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var netBits = Math.Clamp(PrefixLength - (i * 8), 0, 8);
            var netMask = (byte)(0xFF << (8 - netBits));
            bytes[i] = keepHostBits ? (byte)(bytes[i] | ~netMask) : (byte)(bytes[i] & netMask);
        }

        return new IPAddress(bytes);
    }
}
