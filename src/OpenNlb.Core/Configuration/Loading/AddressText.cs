using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OpenNlb.Core.Configuration.Loading;

/// <summary>
/// Strict address parsing. <see cref="IPAddress.TryParse(string, out IPAddress)"/> also accepts
/// forms such as "10.1", "0x7f.1" or "fe80::1%eth0"; a configuration should mean exactly what it
/// shows, so IPv4 must be four decimal octets without leading zeros and IPv6 must carry no scope.
/// </summary>
internal static class AddressText
{
    // The longest IPv6 text form, an IPv4-mapped address written in full.
    private const int MaxIPv6Length = 45;

    public static bool TryParse(string text, out IPAddress address)
    {
        address = IPAddress.None;
        return text.Contains(':', StringComparison.Ordinal)
            ? TryParseIPv6(text, ref address)
            : TryParseIPv4(text, ref address);
    }

    /// <summary>Parses "address/prefix"; the prefix's range is the validator's concern.</summary>
    public static bool TryParseWithPrefix(string text, out IPNetworkAddress value, out string problem)
    {
        value = default;
        var slash = text.LastIndexOf('/');
        if (slash < 0)
        {
            problem = $"{ConfigPath.Quote(text)} has no prefix length; write it like 192.0.2.11/24";
            return false;
        }

        if (!TryParse(text[..slash], out var address))
        {
            problem = $"{ConfigPath.Quote(text[..slash])} is not an IP address";
            return false;
        }

        var prefix = text.AsSpan(slash + 1);
        if (prefix.Length is 0 or > 3 || !prefix.ContainsOnlyDigits()
            || !int.TryParse(prefix, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
        {
            problem = $"{ConfigPath.Quote(text[(slash + 1)..])} is not a prefix length";
            return false;
        }

        value = new IPNetworkAddress(address, length);
        problem = "";
        return true;
    }

    /// <summary>
    /// Parses "address:port", with an IPv6 address in brackets ("[::1]:9747"); the port's range is
    /// the validator's concern.
    /// </summary>
    public static bool TryParseEndpoint(string text, out IPAddress address, out int port, out string problem)
    {
        const string Example = "write it like 127.0.0.1:9747 or \"[::1]:9747\"";
        address = IPAddress.None;
        port = 0;
        var colon = text.LastIndexOf(':');
        var bracketed = text.StartsWith('[');
        if (colon < 0 || (bracketed && text[colon - 1] != ']') || (!bracketed && text.IndexOf(':', StringComparison.Ordinal) != colon))
        {
            problem = $"{ConfigPath.Quote(text)} is not an address and port; {Example}";
            return false;
        }

        var host = bracketed ? text[1..(colon - 1)] : text[..colon];
        if (!TryParse(host, out address) || (bracketed != (address.AddressFamily == AddressFamily.InterNetworkV6)))
        {
            problem = $"{ConfigPath.Quote(host)} is not an IP address; {Example}";
            return false;
        }

        var digits = text.AsSpan(colon + 1);
        if (digits.Length is 0 or > 5 || !digits.ContainsOnlyDigits()
            || !int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out port))
        {
            problem = $"{ConfigPath.Quote(text[(colon + 1)..])} is not a port number; {Example}";
            return false;
        }

        problem = "";
        return true;
    }

    private static bool TryParseIPv4(string text, ref IPAddress address)
    {
        var bytes = new byte[4];
        var parts = text.Split('.');
        if (parts.Length != 4)
        {
            return false;
        }

        for (var i = 0; i < 4; i++)
        {
            var part = parts[i];
            if (part.Length is 0 or > 3 || !part.AsSpan().ContainsOnlyDigits() || (part.Length > 1 && part[0] == '0'))
            {
                return false;
            }

            var octet = int.Parse(part, NumberStyles.None, CultureInfo.InvariantCulture);
            if (octet > 255)
            {
                return false;
            }

            bytes[i] = (byte)octet;
        }

        address = new IPAddress(bytes);
        return true;
    }

    private static bool TryParseIPv6(string text, ref IPAddress address)
    {
        if (text.Length > MaxIPv6Length)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiHexDigit(c) || c is ':' or '.'))
            {
                return false;
            }
        }

        if (!IPAddress.TryParse(text, out var parsed) || parsed.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return false;
        }

        address = parsed;
        return true;
    }
}
