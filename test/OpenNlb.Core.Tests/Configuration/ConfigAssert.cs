using System.Net;
using OpenNlb.Core.Configuration;
using Xunit;

namespace OpenNlb.Core.Tests.Configuration;

/// <summary>
/// Structural equality for configurations. The records hold lists and a dictionary, which record
/// equality compares by reference; those are compared by content here and swapped for one shared
/// empty instance, so that record equality covers every other field, including any added later.
/// </summary>
internal static class ConfigAssert
{
    private static readonly IReadOnlyDictionary<string, HostPortRule> NoRules =
        new Dictionary<string, HostPortRule>(StringComparer.Ordinal);

    public static void Equal(NlbConfig expected, NlbConfig actual)
    {
        Assert.Equal(expected.Cluster.Vips, actual.Cluster.Vips);
        Assert.Equal(expected.Cluster.PortRules, actual.Cluster.PortRules);
        Assert.Equal(Scalars(expected.Cluster), Scalars(actual.Cluster));
        Assert.Equal(Sorted(expected.Host.PortRules), Sorted(actual.Host.PortRules));
        Assert.Equal(expected.Host with { PortRules = NoRules }, actual.Host with { PortRules = NoRules });
    }

    public static string[] Errors(ConfigResult result) => [.. result.Errors.Select(e => e.ToString())];

    public static string[] Errors(IReadOnlyList<ConfigError> errors) => [.. errors.Select(e => e.ToString())];

    /// <summary>Parses and expects exactly these errors, in this order.</summary>
    public static void Rejects(string yaml, params string[] expected)
    {
        var result = ConfigLoader.Parse(yaml);
        Assert.Equal(expected, Errors(result));
        Assert.Null(result.Config);
        Assert.False(result.IsValid);
    }

    public static NlbConfig Accepts(string yaml)
    {
        var result = ConfigLoader.Parse(yaml);
        Assert.Equal([], Errors(result));
        Assert.True(result.IsValid);
        return result.Config!;
    }

    private static ClusterConfig Scalars(ClusterConfig cluster) =>
        cluster with { Vips = Array.Empty<IPAddress>(), PortRules = Array.Empty<PortRule>() };

    private static KeyValuePair<string, HostPortRule>[] Sorted(IReadOnlyDictionary<string, HostPortRule> rules) =>
        [.. rules.OrderBy(r => r.Key, StringComparer.Ordinal)];
}
