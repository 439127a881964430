using System.Text.RegularExpressions;

namespace OpenNlb.EndToEnd.Tests.Packaging;

/// <summary>
/// The Debian mirror the clean root is bootstrapped from: the one apt uses on this machine for
/// bookworm (its sources.list files), $OPENNLB_TEST_MIRROR to choose another, deb.debian.org else.
/// </summary>
internal static partial class DebianMirror
{
    public const string Suite = "bookworm";
    private const string Fallback = "http://deb.debian.org/debian";

    public static string Find()
    {
        if (Environment.GetEnvironmentVariable("OPENNLB_TEST_MIRROR") is { Length: > 0 } chosen)
        {
            return chosen.TrimEnd('/');
        }

        var files = new[] { "/etc/apt/sources.list" }
            .Concat(Directory.Exists("/etc/apt/sources.list.d") ? Directory.EnumerateFiles("/etc/apt/sources.list.d").Order(StringComparer.Ordinal) : [])
            .Where(File.Exists);
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var found = file.EndsWith(".sources", StringComparison.Ordinal) ? FromDeb822(text) : FromOneLine(text);
            if (found is not null)
            {
                return found.TrimEnd('/');
            }
        }

        return Fallback;
    }

    /// <summary>Can the mirror be reached? Null if so, else why not (the reason the test skips).</summary>
    public static async Task<string?> UnreachableAsync(string mirror, CancellationToken ct)
    {
        var url = $"{mirror}/dists/{Suite}/Release";
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
            using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
            return response.IsSuccessStatusCode ? null : $"the Debian mirror answered {(int)response.StatusCode} for {url}";
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return $"cannot reach the Debian mirror {mirror} ({url}: {e.Message})";
        }
    }

    // "deb [options] URI bookworm main ..." on one line.
    private static string? FromOneLine(string text) =>
        text.Split('\n').Select(l => OneLine().Match(l)).FirstOrDefault(m => m.Success && m.Groups["suite"].Value == Suite)?.Groups["uri"].Value;

    // Blocks of "Key: value" lines: Types: deb, URIs: ..., Suites: bookworm ...
    private static string? FromDeb822(string text)
    {
        foreach (var block in text.Split("\n\n"))
        {
            var fields = block.Split('\n')
                .Select(l => l.Split(':', 2))
                .Where(p => p.Length == 2 && !p[0].StartsWith('#'))
                .GroupBy(p => p[0].Trim(), StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.First()[1].Trim(), StringComparer.OrdinalIgnoreCase);
            if (fields.TryGetValue("Types", out var types) && types.Split(' ').Contains("deb")
                && fields.TryGetValue("Suites", out var suites) && suites.Split(' ').Contains(Suite)
                && fields.TryGetValue("URIs", out var uris))
            {
                return uris.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
            }
        }

        return null;
    }

    [GeneratedRegex(@"^\s*deb\s+(\[[^\]]*\]\s+)?(?<uri>\S+)\s+(?<suite>\S+)")]
    private static partial Regex OneLine();
}
