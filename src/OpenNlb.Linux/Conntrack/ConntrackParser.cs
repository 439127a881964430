using System.Globalization;
using System.Net;
using OpenNlb.Core.Configuration;

namespace OpenNlb.Linux.Conntrack;

/// <summary>
/// Reads the text `conntrack -L` prints, one entry per line:
/// <c>tcp 6 431999 ESTABLISHED src=C dst=V sport=P dport=Q src=V dst=C sport=Q dport=P [ASSURED] mark=0 use=1</c>.
/// The first src/dst/sport/dport are the original direction. Tolerant: an optional
/// "ipv4 2" prefix (-o extended), flags and fields it does not know, and lines it cannot read
/// (other protocols, the summary, garbage) are skipped rather than failing the whole listing.
/// </summary>
public static class ConntrackParser
{
    public static IReadOnlyList<ConntrackEntry> Parse(string text)
    {
        var entries = new List<ConntrackEntry>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (ParseLine(line) is { } entry)
            {
                entries.Add(entry);
            }
        }

        return entries;
    }

    public static ConntrackEntry? ParseLine(string line)
    {
        var tokens = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var at = tokens.Length > 0 && tokens[0] is "ipv4" or "ipv6" ? 2 : 0;
        if (tokens.Length < at + 3)
        {
            return null;
        }

        Protocol protocol;
        switch (tokens[at])
        {
            case "tcp":
                protocol = Protocol.Tcp;
                break;
            case "udp":
                protocol = Protocol.Udp;
                break;
            default:
                return null;
        }

        if (!int.TryParse(tokens[at + 2], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return null;
        }

        string? state = null;
        if (protocol == Protocol.Tcp && at + 3 < tokens.Length && !tokens[at + 3].Contains('=', StringComparison.Ordinal))
        {
            state = tokens[at + 3];
        }

        var fields = OriginalFields(tokens.AsSpan(at + 3));
        return fields.TryGetValue("src", out var src) && IPAddress.TryParse(src, out var client)
            && fields.TryGetValue("dst", out var dst) && IPAddress.TryParse(dst, out var vip)
            && Port(fields, "sport") is { } clientPort
            && Port(fields, "dport") is { } vipPort
            ? new ConntrackEntry(protocol, client, clientPort, vip, vipPort, state, TimeSpan.FromSeconds(seconds))
            : null;
    }

    /// <summary>The first value of each key: the original direction's (the reply's come second).</summary>
    private static Dictionary<string, string> OriginalFields(ReadOnlySpan<string> tokens)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var token in tokens)
        {
            var eq = token.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                _ = fields.TryAdd(token[..eq], token[(eq + 1)..]);
            }
        }

        return fields;
    }

    private static int? Port(Dictionary<string, string> fields, string key) =>
        fields.TryGetValue(key, out var text)
        && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
        && port <= ushort.MaxValue
            ? port
            : null;
}
