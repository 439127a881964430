using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenNlb.Lab;

/// <summary>
/// Names of labs, nodes and namespaces. A lab's namespaces are exactly onlb-&lt;lab&gt;-(sw|hN|cN): the
/// pattern is anchored so that tearing down lab "a" never touches lab "a-b" or anyone else's
/// onlb-* namespaces.
/// </summary>
public static partial class LabNames
{
    public const string NamespacePrefix = "onlb-";
    public const string Switch = "sw";

    public static string Namespace(string lab, string node) => $"{NamespacePrefix}{lab}-{node}";

    public static string Host(int host) => "h" + host.ToString(CultureInfo.InvariantCulture);

    public static string Client(int client) => "c" + client.ToString(CultureInfo.InvariantCulture);

    /// <summary>Null when the name is a valid lab name, else why not.</summary>
    public static string? Validate(string lab) =>
        LabName().IsMatch(lab)
            ? null
            : $"lab name '{lab}' must be 1 to 32 characters of a-z, 0-9 and '-', starting with a letter or digit (it is also the cluster name)";

    /// <summary>Host number of a node name like "h3", or null.</summary>
    public static int? HostNumber(string node) => Number(node, 'h');

    /// <summary>Client number of a node name like "c2", or null.</summary>
    public static int? ClientNumber(string node) => Number(node, 'c');

    /// <summary>The node of lab <paramref name="lab"/> that this namespace is, or null if it is not one of the lab's.</summary>
    public static string? NodeOf(string lab, string namespaceName)
    {
        var prefix = $"{NamespacePrefix}{lab}-";
        if (!namespaceName.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var node = namespaceName[prefix.Length..];
        return NodeName().IsMatch(node) ? node : null;
    }

    /// <summary>The lab whose switch this namespace is (onlb-&lt;lab&gt;-sw), or null.</summary>
    public static string? LabOfSwitch(string namespaceName)
    {
        var suffix = "-" + Switch;
        if (!namespaceName.StartsWith(NamespacePrefix, StringComparison.Ordinal) || !namespaceName.EndsWith(suffix, StringComparison.Ordinal))
        {
            return null;
        }

        var lab = namespaceName[NamespacePrefix.Length..^suffix.Length];
        return Validate(lab) is null ? lab : null;
    }

    private static int? Number(string node, char letter) =>
        node.Length > 1 && node[0] == letter && NodeName().IsMatch(node)
            ? int.Parse(node.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture)
            : null;

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,31}$")]
    private static partial Regex LabName();

    [GeneratedRegex("^(sw|[hc][1-9][0-9]{0,2})$")]
    private static partial Regex NodeName();
}
