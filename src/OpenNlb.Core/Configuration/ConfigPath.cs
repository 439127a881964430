using System.Globalization;
using System.Text;

namespace OpenNlb.Core.Configuration;

/// <summary>
/// Builds error paths (<c>cluster.portRules[1].ports</c>) and quotes untrusted text for messages:
/// a key or value from the file is shown escaped and shortened, never raw.
/// </summary>
internal static class ConfigPath
{
    private const int MaxShown = 40;

    public static string Child(string parent, string key)
    {
        if (!IsPlainSegment(key))
        {
            return $"{parent}[{Quote(key, '"')}]";
        }

        return parent.Length == 0 ? key : $"{parent}.{key}";
    }

    public static string Index(string parent, int index) =>
        string.Create(CultureInfo.InvariantCulture, $"{parent}[{index}]");

    /// <summary>The value between single quotes, control characters escaped, long values cut.</summary>
    public static string Quote(string value) => Quote(value, '\'');

    private static string Quote(string value, char quote)
    {
        var sb = new StringBuilder(Math.Min(value.Length, MaxShown) + 8);
        sb.Append(quote);
        var shown = Math.Min(value.Length, MaxShown);
        for (var i = 0; i < shown; i++)
        {
            var c = value[i];
            if (c == quote || c == '\\')
            {
                sb.Append('\\').Append(c);
            }
            else if (c < ' ' || c == '\x7f' || char.IsSurrogate(c))
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                sb.Append(c);
            }
        }

        if (value.Length > MaxShown)
        {
            sb.Append("...");
        }

        return sb.Append(quote).ToString();
    }

    private static bool IsPlainSegment(string key)
    {
        // A key starting with '.' or '-' would make the path hard to read; it is shown quoted.
        if (key.Length is 0 or > MaxShown || !(char.IsAsciiLetterOrDigit(key[0]) || key[0] == '_'))
        {
            return false;
        }

        foreach (var c in key)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
