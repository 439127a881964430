using System.Globalization;
using System.Net;
using System.Text.Json;

namespace OpenNlb.Linux.Nftables;

/// <summary>
/// Reads a set's elements, such as this host's extended-affinity clients (rule{i}_clients) that a
/// hand-over lists. Through libnftables' JSON output rather than the text listing: the text
/// wraps long element lists over lines and its format is not meant for machines.
/// </summary>
public static class NftSetReader
{
    /// <summary>The elements of set <paramref name="set"/> in table ip <paramref name="table"/>.</summary>
    public static IReadOnlyList<NftSetElement> List(NftablesContext nft, string table, string set) =>
        Parse(nft.RunJson($"list set ip {table} {set}"));

    /// <summary>The elements of a set of addresses; anything else in it is an error of the caller.</summary>
    public static IReadOnlyList<IPAddress> Addresses(IEnumerable<NftSetElement> elements) =>
        [.. elements.Select(e => e.Key.Count == 1 && IPAddress.TryParse(e.Key[0], out var a)
            ? a
            : throw new FormatException($"set element '{string.Join(" . ", e.Key)}' is not an address"))];

    /// <summary>
    /// Parses `nft -j list set` output: {"nftables": [{"metainfo": ...}, {"set": {..., "elem": [...]}}]},
    /// where an element is a bare value ("10.1.2.3", 53, {"concat": [...]}) or, with a timeout,
    /// {"elem": {"val": value, "timeout": s, "expires": s}}. A set without elements has no "elem".
    /// </summary>
    public static IReadOnlyList<NftSetElement> Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var elements = new List<NftSetElement>();
        foreach (var item in document.RootElement.GetProperty("nftables").EnumerateArray())
        {
            if (!item.TryGetProperty("set", out var set) || !set.TryGetProperty("elem", out var elem))
            {
                continue;
            }

            foreach (var element in elem.EnumerateArray())
            {
                elements.Add(element.ValueKind == JsonValueKind.Object && element.TryGetProperty("elem", out var inner)
                    ? new NftSetElement(Key(inner.GetProperty("val")), Expires(inner))
                    : new NftSetElement(Key(element), null));
            }
        }

        return elements;
    }

    private static string[] Key(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty("concat", out var parts)
            ? [.. parts.EnumerateArray().Select(Scalar)]
            : [Scalar(value)];

    private static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetInt64().ToString(CultureInfo.InvariantCulture),
        _ => throw new FormatException($"unexpected set element value {value.GetRawText()}"),
    };

    private static TimeSpan? Expires(JsonElement elem) =>
        elem.TryGetProperty("expires", out var expires) ? TimeSpan.FromSeconds(expires.GetInt64()) : null;
}
