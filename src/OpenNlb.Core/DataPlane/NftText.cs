using System.Globalization;
using System.Net.Sockets;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Hashing;

namespace OpenNlb.Core.DataPlane;

/// <summary>The small pieces of nft syntax the renderers share.</summary>
internal static class NftText
{
    /// <summary>The key of a foreign UDP flow, as the client sent it.</summary>
    public const string UdpFlowKey = "ip saddr . udp sport . ip daddr . udp dport";

    /// <summary>
    /// A TCP packet that is not a plain SYN. Written with the flags masked, so that ECN's ECE/CWR
    /// on a SYN do not make it look like a stray segment.
    /// </summary>
    public const string NotSyn = "tcp flags & (fin|syn|rst|ack) != syn";

    public static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>A timeout as nft reads it: whole seconds when it is, else milliseconds.</summary>
    public static string Duration(TimeSpan t)
    {
        var ms = (long)Math.Ceiling(t.TotalMilliseconds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ms, nameof(t));
        return ms % 1000 == 0 ? Inv($"{ms / 1000}s") : Inv($"{ms}ms");
    }

    public static string[] Transports(Protocol protocol) => protocol switch
    {
        Protocol.Tcp => ["tcp"],
        Protocol.Udp => ["udp"],
        _ => ["tcp", "udp"],
    };

    public static string Ports(PortRange ports) => ports.First == ports.Last
        ? Inv($"{ports.First}")
        : Inv($"{ports.First}-{ports.Last}");

    /// <summary>The hash key; the hash model is the one source of truth for what the kernel hashes.</summary>
    public static string HashKey(Affinity affinity, string l4) =>
        FlowHash.NftKeyExpression(affinity, AddressFamily.InterNetwork, l4 == "tcp" ? Protocol.Tcp : Protocol.Udp);

    /// <summary>
    /// The key of an extended-affinity client: the address, or its /24 for network affinity. The
    /// hash key of single and network affinity, so a client and its bucket always agree.
    /// </summary>
    public static string ClientKey(Affinity affinity) =>
        FlowHash.NftKeyExpression(affinity, AddressFamily.InterNetwork, Protocol.Both);

    /// <summary>A verdict that first counts the packet in a named counter of the table: <c>counter name "rule0_dropped" drop</c>.</summary>
    public static string Count(string counter, string verdict) => Inv($"counter name \"{counter}\" {verdict}");

    public static string Elements<T>(IEnumerable<KeyValuePair<int, T>> elements) =>
        string.Join(", ", elements.OrderBy(e => e.Key).Select(e => Inv($"{e.Key} : {e.Value}")));
}
