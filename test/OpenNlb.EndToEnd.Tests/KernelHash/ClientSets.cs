using System.Net;
using OpenNlb.Core.Configuration;

namespace OpenNlb.EndToEnd.Tests.KernelHash;

/// <summary>Distinct client endpoints from a seeded random, so every run sends the same flows.</summary>
internal static class ClientSets
{
    /// <summary>The documentation /24s the test adds to lo (a /24 on lo makes every address in it local).</summary>
    public static readonly IReadOnlyList<string> DocumentationNetworks = ["192.0.2.0", "198.51.100.0", "203.0.113.0"];

    /// <summary>
    /// Distinct IPv4 addresses, each with a random port: a third of the documentation /24s (many
    /// clients per /24, so network affinity must give them one bucket) and the rest from 127.0.0.0/8,
    /// which is local on lo, for many distinct /24s.
    /// </summary>
    public static List<IPEndPoint> IPv4(int count, Random random, PortRange excludedPorts)
    {
        var addresses = new HashSet<IPAddress>();
        var perDocumentationNetwork = Math.Min(200, count / 3 / DocumentationNetworks.Count);
        foreach (var network in DocumentationNetworks)
        {
            var prefix = IPAddress.Parse(network).GetAddressBytes();
            var target = addresses.Count + perDocumentationNetwork;
            while (addresses.Count < target)
            {
                // .2 to .254: not the network, .1 (the address on lo) or the broadcast address.
                addresses.Add(new IPAddress([prefix[0], prefix[1], prefix[2], (byte)random.Next(2, 255)]));
            }
        }

        while (addresses.Count < count)
        {
            var address = new IPAddress([127, (byte)random.Next(0, 255), (byte)random.Next(0, 256), (byte)random.Next(2, 255)]);
            if (!address.Equals(IPAddress.Loopback))
            {
                addresses.Add(address);
            }
        }

        return [.. addresses.Select(address => new IPEndPoint(address, RandomPort(random, excludedPorts)))];
    }

    /// <summary>IPv6 has no documentation range allowed in this lab: ::1 with distinct ports.</summary>
    public static List<IPEndPoint> IPv6Loopback(int count, Random random, PortRange excludedPorts)
    {
        var ports = new HashSet<int>();
        while (ports.Count < count)
        {
            ports.Add(RandomPort(random, excludedPorts));
        }

        return [.. ports.Select(port => new IPEndPoint(IPAddress.IPv6Loopback, port))];
    }

    private static int RandomPort(Random random, PortRange excludedPorts)
    {
        while (true)
        {
            var port = random.Next(1024, 65536);
            if (!excludedPorts.Contains(port))
            {
                return port;
            }
        }
    }
}
