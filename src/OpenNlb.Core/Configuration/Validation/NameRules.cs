namespace OpenNlb.Core.Configuration.Validation;

/// <summary>The character sets of names, checked by hand: short ASCII sets, clearer than regexes.</summary>
internal static class NameRules
{
    public const string ClusterNameMessage = "is not a valid cluster name: 1 to 32 of a-z, 0-9 and -";
    public const string RuleNameMessage = "is not a valid port rule name: 1 to 32 of A-Z, a-z, 0-9, _, . and -";
    public const string InterfaceMessage =
        "is not a valid interface name: 1 to 15 printable ASCII characters, no '/', ':', quotes or whitespace";

    // Linux's IFNAMSIZ is 16 bytes with the terminating zero.
    private const int MaxInterfaceLength = 15;

    /// <summary>The cluster name also seeds the hash, so it is kept to a small, unambiguous set.</summary>
    public static bool IsClusterName(string name) =>
        name.Length is >= 1 and <= 32 && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');

    public static bool IsRuleName(string name) =>
        name.Length is >= 1 and <= 32 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    /// <summary>
    /// The kernel refuses empty names, "." and "..", and names with '/', ':' or whitespace. We also
    /// refuse control characters, non-ASCII, quotes and backslashes, which the kernel would take:
    /// the name is written into nftables rulesets, where they could break out of a quoted string.
    /// </summary>
    public static bool IsInterfaceName(string name) =>
        name.Length is >= 1 and <= MaxInterfaceLength && name is not ("." or "..")
        && name.All(c => c is > ' ' and < '\x7f' and not ('/' or ':' or '"' or '\'' or '\\'));
}
