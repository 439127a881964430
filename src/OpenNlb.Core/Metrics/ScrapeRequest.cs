namespace OpenNlb.Core.Metrics;

/// <summary>
/// The little of HTTP/1.x the metrics endpoint needs: where a request's head ends, and what its
/// request line asks for. Headers are not read (a scrape needs none), and a body is never read:
/// every answer closes the connection.
/// </summary>
public static class ScrapeRequest
{
    /// <summary>A head larger than this is refused (431): a scraper's is a few hundred bytes.</summary>
    public const int MaxHeadBytes = 8192;

    /// <summary>The one path served; the query string is ignored.</summary>
    public const string Path = "/metrics";

    /// <summary>The length of the head (up to and including the empty line), or -1 if it has not all arrived.</summary>
    public static int HeadLength(ReadOnlySpan<byte> received)
    {
        // RFC 9112 allows a bare LF as a line end; a request line with CRLF and headers with LF would be odd but harmless.
        for (var i = 0; i < received.Length; i++)
        {
            if (received[i] != '\n')
            {
                continue;
            }

            if (i + 1 < received.Length && received[i + 1] == '\n')
            {
                return i + 2;
            }

            if (i + 2 < received.Length && received[i + 1] == '\r' && received[i + 2] == '\n')
            {
                return i + 3;
            }
        }

        return -1;
    }

    /// <summary>Judges a request by its request line: <c>GET /metrics HTTP/1.1</c>.</summary>
    public static ScrapeAnswer Judge(ReadOnlySpan<byte> head)
    {
        var end = head.IndexOf((byte)'\n');
        if (end < 0)
        {
            return ScrapeAnswer.BadRequest;
        }

        var line = head[..end];
        if (!line.IsEmpty && line[^1] == '\r')
        {
            line = line[..^1];
        }

        // method SP request-target SP HTTP-version, single spaces (RFC 9112, 3).
        var first = line.IndexOf((byte)' ');
        var last = line.LastIndexOf((byte)' ');
        if (first <= 0 || last <= first + 1)
        {
            return ScrapeAnswer.BadRequest;
        }

        var method = line[..first];
        var target = line[(first + 1)..last];
        var version = line[(last + 1)..];
        if (!IsToken(method) || !IsVersion(version) || target.IndexOf((byte)' ') >= 0 || target[0] != '/' || !IsVisibleAscii(target))
        {
            return ScrapeAnswer.BadRequest;
        }

        var query = target.IndexOf((byte)'?');
        var path = query < 0 ? target : target[..query];
        if (!path.SequenceEqual("/metrics"u8))
        {
            return ScrapeAnswer.NotFound;
        }

        return method.SequenceEqual("GET"u8) ? ScrapeAnswer.Metrics
            : method.SequenceEqual("HEAD"u8) ? ScrapeAnswer.MetricsHeadersOnly
            : ScrapeAnswer.MethodNotAllowed;
    }

    private static bool IsVersion(ReadOnlySpan<byte> version) =>
        version.Length == 8 && version.StartsWith("HTTP/1."u8) && version[7] is (byte)'0' or (byte)'1';

    // tchar of RFC 9110, 5.6.2.
    private static bool IsToken(ReadOnlySpan<byte> text)
    {
        foreach (var b in text)
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || "!#$%&'*+-.^_`|~"u8.Contains(b)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsVisibleAscii(ReadOnlySpan<byte> text)
    {
        foreach (var b in text)
        {
            if (b is <= 0x20 or >= 0x7f)
            {
                return false;
            }
        }

        return true;
    }
}
