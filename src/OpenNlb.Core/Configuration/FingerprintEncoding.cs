using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OpenNlb.Core.Configuration;

/// <summary>
/// The canonical bytes of a cluster section (version 2). Every field, in a fixed order; strings
/// and lists carry their length, so no two sections encode alike; integers are 32-bit big-endian;
/// enums are their declared numbers; an address is its family (4 or 6) and its bytes, and a port
/// rule's "all" VIP is family 0. Order matters: the first VIP is the primary cluster IP, and rules
/// are listed as written. The cluster key (or its file) is left out: the fingerprint travels in
/// clear in every heartbeat.
/// </summary>
internal static class FingerprintEncoding
{
    public const string Version = "opennlb-cluster-v2";

    public static byte[] Encode(ClusterConfig cluster)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        String(buffer, Version);
        String(buffer, cluster.Name);
        Int(buffer, cluster.Vips.Count);
        foreach (var vip in cluster.Vips)
        {
            Address(buffer, vip);
        }

        Int(buffer, (int)cluster.Mode);
        Int(buffer, cluster.FilterIcmp ? 1 : 0);
        Int(buffer, cluster.Heartbeat.PeriodMs);
        Int(buffer, cluster.Heartbeat.Tolerance);
        Int(buffer, cluster.Heartbeat.Port);
        if (cluster.Heartbeat.Takeover)
        {
            // Only when on: the fingerprints of clusters without it stay what they were.
            Int(buffer, 1);
        }

        Int(buffer, cluster.PortRules.Count);
        foreach (var rule in cluster.PortRules)
        {
            String(buffer, rule.Name);
            Address(buffer, rule.Vip);
            Int(buffer, rule.Ports.First);
            Int(buffer, rule.Ports.Last);
            Int(buffer, (int)rule.Protocol);
            Int(buffer, (int)rule.Filtering);
            Int(buffer, (int)rule.Affinity);
            Int(buffer, rule.AffinityTimeoutSeconds);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void String(ArrayBufferWriter<byte> buffer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Int(buffer, bytes.Length);
        buffer.Write(bytes);
    }

    private static void Int(ArrayBufferWriter<byte> buffer, int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    private static void Address(ArrayBufferWriter<byte> buffer, IPAddress? address)
    {
        var family = address?.AddressFamily switch
        {
            null => 0,
            AddressFamily.InterNetwork => 4,
            _ => 6,
        };
        Int(buffer, family);
        if (address is not null)
        {
            buffer.Write(address.GetAddressBytes());
        }
    }
}
