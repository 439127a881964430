using System.Net;
using System.Net.Sockets;

namespace OpenNlb.Core.Configuration.Validation;

internal static class AddressRules
{
    /// <summary>
    /// Why the address cannot be a host's or a cluster's own unicast address, or null. IPv6 is
    /// accepted here although the data plane handles IPv4 only for now.
    /// </summary>
    public static string? NotUnicast(IPAddress address)
    {
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return "the unspecified address";
        }

        if (IPAddress.IsLoopback(address))
        {
            return "a loopback address";
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.IsIPv6Multicast)
            {
                return "a multicast address";
            }

            return address.ScopeId != 0 ? "an address with a scope id" : null;
        }

        var first = address.GetAddressBytes()[0];
        if (first is >= 224 and <= 239)
        {
            return "a multicast address";
        }

        return address.Equals(IPAddress.Broadcast) ? "the broadcast address" : null;
    }

    public static int MaxPrefixLength(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;

    public static string FamilyName(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? "IPv6" : "IPv4";
}
