namespace OpenNlb.Core.Configuration.Yaml;

/// <summary>A mapping, its entries in the order written (duplicates kept; the loader reports them).</summary>
internal sealed class MappingNode(IReadOnlyList<KeyValuePair<ScalarNode, ConfigNode>> entries, TextPosition start)
    : ConfigNode(start)
{
    public IReadOnlyList<KeyValuePair<ScalarNode, ConfigNode>> Entries { get; } = entries;

    public override string Describe() => "a mapping";
}
