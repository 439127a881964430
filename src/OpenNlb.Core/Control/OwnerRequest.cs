using System.Net;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Query;

namespace OpenNlb.Core.Control;

/// <summary>An owner question as asked on the socket: the VIP may be left out (then: the primary cluster IP).</summary>
public sealed record OwnerRequest(IPAddress Client, int ClientPort, IPAddress? Vip, int Port, Protocol Protocol)
{
    public FlowQuery For(ClusterConfig cluster) => new(Client, ClientPort, Vip ?? cluster.Vips[0], Port, Protocol);

    /// <summary>
    /// "198.51.100.7", "198.51.100.7:51234" or "[2001:db8::7]:51234". A bare IPv6 address is an
    /// address with no port: its last group is not mistaken for one.
    /// </summary>
    public static bool TryParseClient(string text, out IPAddress address, out int port)
    {
        port = 0;
        if (IPAddress.TryParse(text, out address!) && !text.StartsWith('[') && (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || !text.Contains(':', StringComparison.Ordinal)))
        {
            return true;
        }

        if (IPEndPoint.TryParse(text, out var endpoint) && (text.StartsWith('[') || text.Count(c => c == ':') == 1))
        {
            (address, port) = (endpoint.Address, endpoint.Port);
            return true;
        }

        address = IPAddress.None;
        return false;
    }
}
