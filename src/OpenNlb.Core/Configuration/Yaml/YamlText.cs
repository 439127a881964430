using System.Globalization;
using System.Text;

namespace OpenNlb.Core.Configuration.Yaml;

/// <summary>How the writer spells a string: plain when that cannot be misread, else double-quoted.</summary>
internal static class YamlText
{
    // Words YAML 1.1 or 1.2 tools would read as null or a boolean if written plain.
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "null", "true", "false", "yes", "no", "on", "off", "y", "n",
    };

    public static string Scalar(string value) => IsSafePlain(value) ? value : DoubleQuoted(value);

    private static bool IsSafePlain(string value)
    {
        if (value.Length == 0 || Reserved.Contains(value) || !(char.IsAsciiLetterOrDigit(value[0]) || value[0] == '_'))
        {
            return false;
        }

        // Our loader reads a string key's value as text whatever it looks like, but other YAML
        // tools would turn 80, 1e5 or 0x10 into numbers.
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            || value.StartsWith("0x", StringComparison.OrdinalIgnoreCase) || value.StartsWith("0o", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/'))
            {
                return false;
            }
        }

        return true;
    }

    private static string DoubleQuoted(string value)
    {
        var quoted = new StringBuilder(value.Length + 2).Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var pairedSurrogate = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]);
            if (pairedSurrogate)
            {
                quoted.Append(c).Append(value[++i]);
            }
            else if (c is '"' or '\\')
            {
                quoted.Append('\\').Append(c);
            }
            else if (c < ' ' || c == '\x7f' || char.IsSurrogate(c))
            {
                quoted.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                quoted.Append(c);
            }
        }

        return quoted.Append('"').ToString();
    }
}
