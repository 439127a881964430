using OpenNlb.Core.Configuration.Yaml;

namespace OpenNlb.Core.Configuration.Loading;

/// <summary>
/// Maps the YAML tree onto the configuration records, reporting every mismatch with its path.
/// Whatever cannot be read becomes a placeholder under a path marked unknown, so the mapping always
/// completes and the validator can still check everything else.
/// </summary>
internal static class ConfigMapper
{
    private static readonly string[] Keys = ["cluster", "host"];

    /// <summary>The records, or null when the document is not a mapping at all (reported).</summary>
    public static NlbConfig? Map(ConfigNode? root, ErrorSink errors)
    {
        if (root is null or ScalarNode { IsNull: true })
        {
            errors.Add(ErrorSink.DocumentPath, "the configuration is empty");
            return null;
        }

        var map = MappingReader.Open(root, "", Keys, errors);
        if (map is null)
        {
            return null;
        }

        var cluster = ClusterMapper.Map(map.Required("cluster"), map.PathOf("cluster"), errors);
        var host = HostMapper.Map(map.Required("host"), map.PathOf("host"), errors);
        return new NlbConfig(cluster, host);
    }
}
