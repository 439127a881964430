using System.Net;
using System.Net.Sockets;
using OpenNlb.Core.DataPlane;

namespace OpenNlb.Core.Control;

/// <summary>
/// nlb.exe's ip2mac: the MACs a cluster whose primary cluster IP is <see cref="Vip"/> uses, in
/// unicast mode (02:bf + the address) and in multicast mode (03:bf + the address), written as
/// ip(8) writes them. Only from an IPv4 address: NLB's scheme puts its 4 bytes in the MAC.
/// </summary>
public sealed record MacReport(string Vip, string Unicast, string Multicast)
{
    public static (MacReport? Report, string? Error) Of(IPAddress vip)
    {
        if (vip.IsIPv4MappedToIPv6)
        {
            vip = vip.MapToIPv4();
        }

        if (vip.AddressFamily != AddressFamily.InterNetwork)
        {
            return (null, $"{vip} is IPv6: the cluster MAC is made of an IPv4 address's 4 bytes (02-bf-w-x-y-z), so a cluster takes it from its primary IPv4 VIP; an IPv6 VIP has none of its own");
        }

        return (new MacReport(vip.ToString(), ClusterMac.Format(ClusterMac.Unicast(vip)), ClusterMac.Format(ClusterMac.Multicast(vip))), null);
    }
}
