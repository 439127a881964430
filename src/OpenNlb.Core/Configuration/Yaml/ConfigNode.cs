namespace OpenNlb.Core.Configuration.Yaml;

/// <summary>
/// A node of the parsed YAML: a scalar, a mapping or a list. Our own small tree, built from the
/// parser's events, so that the mapping to records sees plain data with positions.
/// </summary>
internal abstract class ConfigNode(TextPosition start)
{
    public TextPosition Start { get; } = start;

    /// <summary>What the node is, for "expected an integer, got ..." messages.</summary>
    public abstract string Describe();
}
