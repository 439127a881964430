namespace OpenNlb.Core.Configuration.Yaml;

internal sealed class SequenceNode(IReadOnlyList<ConfigNode> items, TextPosition start) : ConfigNode(start)
{
    public IReadOnlyList<ConfigNode> Items { get; } = items;

    public override string Describe() => "a list";
}
