using System.Net;
using OpenNlb.Core.Configuration;

namespace OpenNlb.Lab;

/// <summary>
/// Every address of a lab. All of it is documentation space (RFC 5737): 192.0.2.0/24 is the cluster
/// network; 198.51.100.0/24 and 203.0.113.0/24 give clients extra source addresses on other /24s,
/// reached on-link over the same flat segment.
/// </summary>
public static class AddressPlan
{
    public const int PrefixLength = 24;
    public const int MaxHosts = 64;
    public const int MaxClients = 54;

    public static IPAddress Vip { get; } = IPAddress.Parse("192.0.2.100");

    /// <summary>The networks every node routes on-link through eth0, besides 192.0.2.0/24.</summary>
    public static IReadOnlyList<IPNetwork> ExtraNetworks { get; } =
        [IPNetwork.Parse("198.51.100.0/24"), IPNetwork.Parse("203.0.113.0/24")];

    /// <summary>Host i's dedicated IP: 192.0.2.(10 + i)/24.</summary>
    public static IPNetworkAddress HostDip(int host) =>
        host is >= 1 and <= MaxHosts
            ? new IPNetworkAddress(new IPAddress([192, 0, 2, (byte)(10 + host)]), PrefixLength)
            : throw new ArgumentOutOfRangeException(nameof(host), host, $"hosts are 1..{MaxHosts}");

    /// <summary>Client j's own address: 192.0.2.(200 + j)/24.</summary>
    public static IPNetworkAddress ClientAddress(int client) =>
        client is >= 1 and <= MaxClients
            ? new IPNetworkAddress(new IPAddress([192, 0, 2, (byte)(200 + client)]), PrefixLength)
            : throw new ArgumentOutOfRangeException(nameof(client), client, $"clients are 1..{MaxClients}");

    /// <summary>How many extra addresses per client fit: each /24 holds .1 to .254.</summary>
    public static int MaxExtraAddresses(int clients) => clients <= 0 ? 0 : 254 / clients * 2;

    /// <summary>
    /// Client j's extra addresses: the k-th (from 0) is in 198.51.100.0/24 when k is even and in
    /// 203.0.113.0/24 when k is odd, host part (j - 1) * ceil(K / 2) + k / 2 + 1, so clients never
    /// share one and two of them already span two /24s.
    /// </summary>
    public static IReadOnlyList<IPAddress> ClientExtraAddresses(int client, int perClient, int clients)
    {
        if (perClient < 0 || perClient > MaxExtraAddresses(clients))
        {
            throw new ArgumentOutOfRangeException(nameof(perClient), perClient, $"{clients} clients have room for 0..{MaxExtraAddresses(clients)} extra addresses each");
        }

        _ = ClientAddress(client);
        var perNetwork = (perClient + 1) / 2;
        var addresses = new IPAddress[perClient];
        for (var k = 0; k < perClient; k++)
        {
            var network = ExtraNetworks[k % 2].BaseAddress.GetAddressBytes();
            network[3] = (byte)(((client - 1) * perNetwork) + (k / 2) + 1);
            addresses[k] = new IPAddress(network);
        }

        return addresses;
    }

    /// <summary>
    /// The MAC the lab gives eth0: 02:00 then the four bytes of its IPv4 address. Locally
    /// administered, and never one of NLB's (02:bf:VIP, 02:&lt;host id 1..64&gt;:VIP, 03:bf:VIP).
    /// </summary>
    public static string MacFor(IPAddress address)
    {
        var b = address.GetAddressBytes();
        return $"02:00:{b[0]:x2}:{b[1]:x2}:{b[2]:x2}:{b[3]:x2}";
    }
}
