using System.Globalization;
using System.Net;
using OpenNlb.Core.Configuration.Yaml;
using OpenNlb.Core.Membership;

namespace OpenNlb.Core.Configuration.Loading;

/// <summary>
/// Typed reading of scalars, YAML core schema style: an integer or a boolean must be written
/// plain (<c>5</c>, <c>true</c>); quoted it is a string and a wrong type. Ranges are left to the
/// validator, so that they are checked the same way for files and for records built in code.
/// </summary>
internal static class ScalarReader
{
    public static bool String(ConfigNode node, string path, ErrorSink errors, out string value)
    {
        value = "";
        if (!Scalar(node, path, errors, "a string", out var scalar))
        {
            return false;
        }

        value = scalar.Value;
        return true;
    }

    public static bool Int(ConfigNode node, string path, ErrorSink errors, out int value)
    {
        value = 0;
        if (!Scalar(node, path, errors, "an integer", out var scalar))
        {
            return false;
        }

        if (!scalar.IsPlain || !IsDecimal(scalar.Value))
        {
            errors.Reject(path, $"expected an integer, got {scalar.Describe()}");
            return false;
        }

        if (!int.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
        {
            errors.Reject(path, $"{ConfigPath.Quote(scalar.Value)} is too large");
            return false;
        }

        return true;
    }

    public static bool Bool(ConfigNode node, string path, ErrorSink errors, out bool value)
    {
        value = false;
        if (!Scalar(node, path, errors, "true or false", out var scalar))
        {
            return false;
        }

        switch (scalar.IsPlain ? scalar.Value : null)
        {
            case "true" or "True" or "TRUE":
                value = true;
                return true;
            case "false" or "False" or "FALSE":
                return true;
            default:
                errors.Reject(path, $"expected true or false, got {scalar.Describe()}");
                return false;
        }
    }

    public static ScalarParser<T> Enum<T>(EnumNames<T> names)
        where T : struct, Enum =>
        (ConfigNode node, string path, ErrorSink errors, out T value) =>
        {
            value = default;
            if (!Scalar(node, path, errors, names.Alternatives, out var scalar))
            {
                return false;
            }

            if (!names.TryParse(scalar.Value, out value))
            {
                errors.Reject(path, $"expected {names.Alternatives}, got {scalar.Describe()}");
                return false;
            }

            return true;
        };

    public static bool Address(ConfigNode node, string path, ErrorSink errors, out IPAddress value)
    {
        value = IPAddress.None;
        if (!Scalar(node, path, errors, "an IP address", out var scalar))
        {
            return false;
        }

        if (!AddressText.TryParse(scalar.Value, out value))
        {
            errors.Reject(path, $"{ConfigPath.Quote(scalar.Value)} is not an IP address");
            return false;
        }

        return true;
    }

    /// <summary>A port rule's VIP: an address, or <c>all</c> (null).</summary>
    public static bool VipOrAll(ConfigNode node, string path, ErrorSink errors, out IPAddress? value)
    {
        value = null;
        if (node is ScalarNode { IsNull: false, Value: ConfigNames.All })
        {
            return true;
        }

        if (!Scalar(node, path, errors, "a VIP of the cluster or all", out var scalar))
        {
            return false;
        }

        if (!AddressText.TryParse(scalar.Value, out var address))
        {
            errors.Reject(path, $"expected a VIP of the cluster or all, got {scalar.Describe()}");
            return false;
        }

        value = address;
        return true;
    }

    public static bool AddressWithPrefix(ConfigNode node, string path, ErrorSink errors, out IPNetworkAddress value)
    {
        value = default;
        if (!Scalar(node, path, errors, "an address with a prefix length", out var scalar))
        {
            return false;
        }

        if (!AddressText.TryParseWithPrefix(scalar.Value, out value, out var problem))
        {
            errors.Reject(path, problem);
            return false;
        }

        return true;
    }

    /// <summary>An address and port to listen on: <c>127.0.0.1:9747</c>, <c>[::1]:9747</c>.</summary>
    public static bool Endpoint(ConfigNode node, string path, ErrorSink errors, out (IPAddress Address, int Port) value)
    {
        value = (IPAddress.None, 0);
        if (!Scalar(node, path, errors, "an address and port like 127.0.0.1:9747", out var scalar))
        {
            return false;
        }

        if (!AddressText.TryParseEndpoint(scalar.Value, out var address, out var port, out var problem))
        {
            errors.Reject(path, problem);
            return false;
        }

        value = (address, port);
        return true;
    }

    /// <summary><c>80</c>, <c>8000-8080</c> or <c>all</c>.</summary>
    public static bool Ports(ConfigNode node, string path, ErrorSink errors, out PortRange value)
    {
        const string Expected = "a port like 80, a range like 8000-8080 or all";
        value = default;
        if (!Scalar(node, path, errors, Expected, out var scalar))
        {
            return false;
        }

        var text = scalar.Value;
        if (text == ConfigNames.All)
        {
            value = PortRange.All;
            return true;
        }

        var dash = text.IndexOf('-', StringComparison.Ordinal);
        var first = dash < 0 ? text : text[..dash];
        var last = dash < 0 ? text : text[(dash + 1)..];
        if (!TryPort(first, out var from) || !TryPort(last, out var to))
        {
            errors.Reject(path, $"expected {Expected}, got {scalar.Describe()}");
            return false;
        }

        value = new PortRange(from, to);
        return true;
    }

    /// <summary>A host's load weight: an integer, or <c>equal</c> (null).</summary>
    public static bool LoadWeight(ConfigNode node, string path, ErrorSink errors, out int? value)
    {
        value = null;
        if (node is ScalarNode { IsNull: false, Value: ConfigNames.Equal })
        {
            return true;
        }

        if (node is ScalarNode { IsPlain: true } plain && IsDecimal(plain.Value))
        {
            var ok = Int(node, path, errors, out var weight);
            value = weight;
            return ok;
        }

        errors.Reject(path, $"expected an integer or equal, got {node.Describe()}");
        return false;
    }

    /// <summary>An optional integer: a missing key is null (the record's meaning of "not set").</summary>
    public static bool OptionalInt(ConfigNode node, string path, ErrorSink errors, out int? value)
    {
        var ok = Int(node, path, errors, out var number);
        value = ok ? number : null;
        return ok;
    }

    /// <summary>An optional string: a missing key is null.</summary>
    public static bool OptionalString(ConfigNode node, string path, ErrorSink errors, out string? value)
    {
        var ok = String(node, path, errors, out var text);
        value = ok ? text : null;
        return ok;
    }

    /// <summary>
    /// The cluster key in base64. Errors never show the text: a key that is nearly right is still
    /// a secret, and error messages end up in logs.
    /// </summary>
    public static bool Key(ConfigNode node, string path, ErrorSink errors, out ClusterKey? value)
    {
        value = null;
        if (node is not ScalarNode { IsNull: false } scalar)
        {
            errors.Reject(path, $"expected a base64 cluster key, got {node.Describe()}; {ClusterKey.HowToMake}");
            return false;
        }

        if (!ClusterKey.TryFromBase64(scalar.Value, out value, out var problem))
        {
            errors.Reject(path, $"the key {problem}");
            return false;
        }

        return true;
    }

    private static bool Scalar(ConfigNode node, string path, ErrorSink errors, string expected, out ScalarNode scalar)
    {
        if (node is ScalarNode { IsNull: false } found)
        {
            scalar = found;
            return true;
        }

        scalar = null!;
        errors.Reject(path, $"expected {expected}, got {node.Describe()}");
        return false;
    }

    // Digits with an optional sign; a plain "-5" is an integer in YAML, and the range check then
    // says what is wrong with it. Port numbers are at most 5 digits, counts and weights fewer.
    private static bool IsDecimal(string text)
    {
        var digits = text.AsSpan(text.Length > 0 && text[0] is '-' or '+' ? 1 : 0);
        return digits.ContainsOnlyDigits();
    }

    private static bool TryPort(string text, out int port)
    {
        port = 0;
        return text.Length <= 9 && text.AsSpan().ContainsOnlyDigits()
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port);
    }
}
