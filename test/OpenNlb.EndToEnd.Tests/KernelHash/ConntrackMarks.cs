using System.Globalization;
using System.Net;

namespace OpenNlb.EndToEnd.Tests.KernelHash;

/// <summary>The marks of `conntrack -L -o extended`, by original-direction tuple.</summary>
internal static class ConntrackMarks
{
    // A line reads, for example:
    // ipv4 2 udp 17 29 src=127.9.8.7 dst=127.0.0.1 sport=40001 dport=20001 [UNREPLIED] src=127.0.0.1
    //   dst=127.9.8.7 sport=20001 dport=40001 mark=1338 use=1
    // The first src/sport/dport are the original direction; the mark is the connection's.
    public static Dictionary<(string Transport, IPAddress Source, ushort SourcePort, ushort DestinationPort), uint> Parse(
        string listing)
    {
        var marks = new Dictionary<(string, IPAddress, ushort, ushort), uint>();
        foreach (var line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 3)
            {
                continue;
            }

            var source = First(fields, "src=");
            var sourcePort = First(fields, "sport=");
            var destinationPort = First(fields, "dport=");
            if (source is null || sourcePort is null || destinationPort is null)
            {
                continue;
            }

            // conntrack leaves mark= out when the mark is 0, which is a valid bucket.
            var mark = First(fields, "mark=") ?? "0";
            var key = (fields[2], IPAddress.Parse(source), ushort.Parse(sourcePort, CultureInfo.InvariantCulture),
                ushort.Parse(destinationPort, CultureInfo.InvariantCulture));
            marks[key] = uint.Parse(mark, CultureInfo.InvariantCulture);
        }

        return marks;
    }

    private static string? First(string[] fields, string prefix) =>
        fields.FirstOrDefault(field => field.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];
}
