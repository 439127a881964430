using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace OpenNlb.Core.DataPlane;

/// <summary>
/// NLB's MAC addresses, derived from the primary cluster IP: the unicast cluster MAC 02:bf:VIP, the
/// multicast MAC 03:bf:VIP, and the masked source MAC 02:host:VIP that keeps a learning switch from
/// learning the cluster MAC on one port (NLB's MaskSourceMAC).
/// </summary>
public static class ClusterMac
{
    public static PhysicalAddress Unicast(IPAddress primaryVip) => Make(0x02, 0xbf, primaryVip);

    public static PhysicalAddress Multicast(IPAddress primaryVip) => Make(0x03, 0xbf, primaryVip);

    public static PhysicalAddress MaskedSource(int hostPriority, IPAddress primaryVip) =>
        Make(0x02, checked((byte)hostPriority), primaryVip);

    /// <summary>Colon-separated lower-case form, as nft and ip(8) write it.</summary>
    public static string Format(PhysicalAddress mac) =>
        string.Join(':', mac.GetAddressBytes().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));

    private static PhysicalAddress Make(byte first, byte second, IPAddress vip)
    {
        if (vip.AddressFamily != AddressFamily.InterNetwork)
        {
            throw new ArgumentException($"the cluster MAC derives from an IPv4 primary VIP; {vip} is not IPv4", nameof(vip));
        }

        Span<byte> bytes = stackalloc byte[6];
        bytes[0] = first;
        bytes[1] = second;
        vip.TryWriteBytes(bytes[2..], out _);
        return new PhysicalAddress(bytes.ToArray());
    }
}
