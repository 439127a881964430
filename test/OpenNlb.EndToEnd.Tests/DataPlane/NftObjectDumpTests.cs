using OpenNlb.Core.Metrics;
using OpenNlb.Linux.Nftables;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.DataPlane;

/// <summary>The netlink request and answer of the counter dump, byte for byte (no root needed).</summary>
public sealed class NftObjectDumpTests
{
    [Fact]
    public void Request_IsAGetObjDumpFilteredOnTableAndCounterType()
    {
        var request = NftObjectDump.Request("opennlb", sequence: 7);

        Assert.Equal(
            Convert.FromHexString(
                "28000000" + "130a" + "0103" + "07000000" + "00000000" // nlmsghdr: 40 bytes, NFT_MSG_GETOBJ, REQUEST|DUMP, seq 7, pid 0
                + "02000000" // nfgenmsg: NFPROTO_IPV4, version 0, res_id 0
                + "0c000100" + "6f70656e6e6c6200" // NFTA_OBJ_TABLE "opennlb\0"
                + "08000300" + "00000001"), // NFTA_OBJ_TYPE NFT_OBJECT_COUNTER
            request);
    }

    [Fact]
    public void Answer_GivesEachCounterByName_AndEndsAtDone()
    {
        var counters = new Dictionary<string, TrafficCount>();
        var answer = Convert.FromHexString(
            Object("rule0_accepted", packets: 5, bytes: 300, sequence: 7)
            + Object("other_seq", packets: 1, bytes: 1, sequence: 8)
            + "14000000" + "0300" + "0200" + "07000000" + "00000000" + "00000000"); // NLMSG_DONE

        Assert.True(NftObjectDump.Parse(answer, 7, counters));
        Assert.Equal(new Dictionary<string, TrafficCount> { ["rule0_accepted"] = new(5, 300) }, counters);
        Assert.False(NftObjectDump.Parse(Convert.FromHexString(Object("rule0_dropped", 9, 540, 7)), 7, counters));
        Assert.Equal(new TrafficCount(9, 540), counters["rule0_dropped"]);
    }

    [Fact]
    public void AnError_OrATruncatedMessage_IsAnException()
    {
        var error = Convert.FromHexString("14000000" + "0200" + "0000" + "07000000" + "00000000" + "feffffff"); // NLMSG_ERROR -ENOENT
        var e = Assert.Throws<NftablesException>(() => NftObjectDump.Parse(error, 7, new Dictionary<string, TrafficCount>()));
        Assert.Contains("errno 2", e.Message, StringComparison.Ordinal);

        var truncated = Convert.FromHexString("40000000" + "120a" + "0200" + "07000000" + "00000000" + "02000000");
        Assert.Throws<NftablesException>(() => NftObjectDump.Parse(truncated, 7, new Dictionary<string, TrafficCount>()));
    }

    /// <summary>An NFT_MSG_NEWOBJ message as the kernel sends it: table, name, type, then the nested counter data.</summary>
    private static string Object(string name, long packets, long bytes, uint sequence)
    {
        var table = Attr(1, Hex("opennlb\0"));
        var objName = Attr(2, Hex(name + "\0"));
        var type = Attr(3, "00000001");
        var data = Attr(0x8004, Attr(1, bytes.ToString("x16", System.Globalization.CultureInfo.InvariantCulture)) + Attr(2, packets.ToString("x16", System.Globalization.CultureInfo.InvariantCulture)));
        var body = "02000000" + table + objName + type + data;
        var length = 16 + (body.Length / 2);
        return Le32(length) + "120a" + "0200" + Le32((int)sequence) + "00000000" + body;
    }

    private static string Attr(int type, string payloadHex)
    {
        var length = 4 + (payloadHex.Length / 2);
        var padding = new string('0', (((length + 3) & ~3) - length) * 2);
        return Le16(length) + Le16(type) + payloadHex + padding;
    }

    private static string Hex(string text) => Convert.ToHexString(System.Text.Encoding.ASCII.GetBytes(text));

    private static string Le16(int value) => Convert.ToHexString(BitConverter.GetBytes((ushort)value));

    private static string Le32(int value) => Convert.ToHexString(BitConverter.GetBytes(value));
}
