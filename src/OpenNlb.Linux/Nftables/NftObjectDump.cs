using System.Buffers.Binary;
using System.Text;
using OpenNlb.Core.Metrics;

namespace OpenNlb.Linux.Nftables;

/// <summary>
/// The netlink messages of one request: dump a table's named counters (NFT_MSG_GETOBJ with
/// NLM_F_DUMP, filtered on table and type), and the kernel's answer parsed to name -> packets and
/// bytes. Pure: bytes in, bytes out. Layouts from linux/netlink.h, linux/netfilter/nfnetlink.h and
/// linux/netfilter/nf_tables.h; attribute payloads are big-endian, headers host order (little-endian
/// on every machine OpenNLB runs on).
/// </summary>
public static class NftObjectDump
{
    private const ushort NLMSG_ERROR = 2;
    private const ushort NLMSG_DONE = 3;
    private const ushort NLM_F_REQUEST = 0x1;
    private const ushort NLM_F_DUMP = 0x300;
    private const int NFNL_SUBSYS_NFTABLES = 10;
    private const int NFT_MSG_NEWOBJ = 18;
    private const int NFT_MSG_GETOBJ = 19;
    private const byte NFPROTO_IPV4 = 2;
    private const ushort NFTA_OBJ_TABLE = 1;
    private const ushort NFTA_OBJ_NAME = 2;
    private const ushort NFTA_OBJ_TYPE = 3;
    private const ushort NFTA_OBJ_DATA = 4;
    private const uint NFT_OBJECT_COUNTER = 1;
    private const ushort NFTA_COUNTER_BYTES = 1;
    private const ushort NFTA_COUNTER_PACKETS = 2;
    private const ushort NLA_TYPE_MASK = 0x3fff;
    private const int HeaderSize = 16;
    private const int GenSize = 4;

    /// <summary>The request: dump the counters of table ip <paramref name="table"/>.</summary>
    public static byte[] Request(string table, uint sequence)
    {
        var name = Encoding.ASCII.GetBytes(table + "\0");
        var length = HeaderSize + GenSize + Align(4 + name.Length) + 8;
        var message = new byte[length];
        var span = message.AsSpan();
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)length);
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETOBJ);
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], NLM_F_REQUEST | NLM_F_DUMP);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], sequence);

        // struct nfgenmsg: family, version 0 (NFNETLINK_V0), resource id 0.
        span[HeaderSize] = NFPROTO_IPV4;
        var at = HeaderSize + GenSize;
        at = Attribute(span, at, NFTA_OBJ_TABLE, name);
        Span<byte> type = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(type, NFT_OBJECT_COUNTER);
        Attribute(span, at, NFTA_OBJ_TYPE, type);
        return message;
    }

    /// <summary>
    /// Reads one buffer of the answer into <paramref name="counters"/>. True when the dump is done
    /// (NLMSG_DONE seen); a kernel error becomes an exception that says what failed.
    /// </summary>
    public static bool Parse(ReadOnlySpan<byte> received, uint sequence, IDictionary<string, TrafficCount> counters)
    {
        ArgumentNullException.ThrowIfNull(counters);
        while (received.Length >= HeaderSize)
        {
            var length = (int)BinaryPrimitives.ReadUInt32LittleEndian(received);
            if (length < HeaderSize || length > received.Length)
            {
                throw new NftablesException($"netlink: a message of {length} bytes in {received.Length}");
            }

            var type = BinaryPrimitives.ReadUInt16LittleEndian(received[4..]);
            var message = received[HeaderSize..length];
            if (BinaryPrimitives.ReadUInt32LittleEndian(received[8..]) == sequence)
            {
                switch (type)
                {
                    case NLMSG_DONE:
                        return true;
                    case NLMSG_ERROR when message.Length >= 4 && BinaryPrimitives.ReadInt32LittleEndian(message) is var error and not 0:
                        throw new NftablesException($"netlink: the kernel refused to list the counters: errno {-error}");
                    case (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWOBJ when message.Length >= GenSize:
                        ReadObject(message[GenSize..], counters);
                        break;
                }
            }

            received = received[Math.Min(Align(length), received.Length)..];
        }

        return false;
    }

    private static void ReadObject(ReadOnlySpan<byte> attributes, IDictionary<string, TrafficCount> counters)
    {
        string? name = null;
        TrafficCount? count = null;
        foreach (var (type, payload) in Attributes(attributes))
        {
            if (type == NFTA_OBJ_NAME)
            {
                name = Encoding.ASCII.GetString(payload.TrimEnd((byte)0));
            }
            else if (type == NFTA_OBJ_DATA)
            {
                long packets = 0, bytes = 0;
                foreach (var (inner, value) in Attributes(payload))
                {
                    if (inner == NFTA_COUNTER_PACKETS && value.Length >= 8)
                    {
                        packets = (long)BinaryPrimitives.ReadUInt64BigEndian(value);
                    }
                    else if (inner == NFTA_COUNTER_BYTES && value.Length >= 8)
                    {
                        bytes = (long)BinaryPrimitives.ReadUInt64BigEndian(value);
                    }
                }

                count = new TrafficCount(packets, bytes);
            }
        }

        if (name is not null && count is { } c)
        {
            counters[name] = c;
        }
    }

    private static List<(ushort Type, byte[] Payload)> Attributes(ReadOnlySpan<byte> span)
    {
        var attributes = new List<(ushort, byte[])>();
        while (span.Length >= 4)
        {
            var length = BinaryPrimitives.ReadUInt16LittleEndian(span);
            if (length < 4 || length > span.Length)
            {
                throw new NftablesException($"netlink: an attribute of {length} bytes in {span.Length}");
            }

            attributes.Add(((ushort)(BinaryPrimitives.ReadUInt16LittleEndian(span[2..]) & NLA_TYPE_MASK), span[4..length].ToArray()));
            span = span[Math.Min(Align(length), span.Length)..];
        }

        return attributes;
    }

    private static int Attribute(Span<byte> message, int at, ushort type, ReadOnlySpan<byte> payload)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(message[at..], (ushort)(4 + payload.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(message[(at + 2)..], type);
        payload.CopyTo(message[(at + 4)..]);
        return at + Align(4 + payload.Length);
    }

    private static int Align(int length) => (length + 3) & ~3;
}
