using OpenNlb.Core.Configuration.Yaml;

namespace OpenNlb.Core.Configuration.Loading;

/// <summary>
/// One mapping of the file with a fixed set of keys. Opening it reports unknown and duplicate keys;
/// reading a key reports a missing required key or a value of the wrong type, and falls back to a
/// placeholder whose path is then marked unknown for the validator.
/// </summary>
internal sealed class MappingReader
{
    private readonly Dictionary<string, ConfigNode> _values;
    private readonly ErrorSink _errors;

    private MappingReader(Dictionary<string, ConfigNode> values, string path, ErrorSink errors)
    {
        _values = values;
        _errors = errors;
        Path = path;
    }

    public string Path { get; }

    /// <summary>The reader, or null (error reported, path marked) when the node is not a mapping.</summary>
    public static MappingReader? Open(ConfigNode node, string path, IReadOnlyList<string> keys, ErrorSink errors)
    {
        if (node is not MappingNode mapping)
        {
            errors.Reject(path.Length == 0 ? ErrorSink.DocumentPath : path, $"expected a mapping, got {node.Describe()}");
            return null;
        }

        var values = new Dictionary<string, ConfigNode>(StringComparer.Ordinal);
        foreach (var (key, value) in Distinct(mapping, path, errors))
        {
            if (keys.Contains(key, StringComparer.Ordinal))
            {
                values[key] = value;
            }
            else
            {
                errors.Add(ConfigPath.Child(path, key), $"unknown key; expected one of {string.Join(", ", keys)}");
            }
        }

        return new MappingReader(values, path, errors);
    }

    /// <summary>
    /// The entries of a mapping by key text, first one wins; a repeated key is reported, since YAML
    /// forbids it and silently taking either value would hide a mistake.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, ConfigNode>> Distinct(MappingNode mapping, string path, ErrorSink errors)
    {
        var seen = new Dictionary<string, TextPosition>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Entries)
        {
            if (seen.TryGetValue(key.Value, out var first))
            {
                errors.Add(ConfigPath.Child(path, key.Value), $"duplicate key; first given at {first}");
                continue;
            }

            seen.Add(key.Value, key.Start);
            yield return new(key.Value, value);
        }
    }

    public string PathOf(string key) => ConfigPath.Child(Path, key);

    public ConfigNode? Optional(string key) => _values.GetValueOrDefault(key);

    public ConfigNode? Required(string key)
    {
        if (_values.TryGetValue(key, out var node))
        {
            return node;
        }

        _errors.Reject(PathOf(key), "required key is missing");
        return null;
    }

    /// <summary>An optional key: <paramref name="fallback"/> when absent or wrong.</summary>
    public T Read<T>(string key, ScalarParser<T> parse, T fallback) =>
        Optional(key) is { } node && parse(node, PathOf(key), _errors, out var value) ? value : fallback;

    /// <summary>A required key: <paramref name="placeholder"/> when absent or wrong (both reported).</summary>
    public T ReadRequired<T>(string key, ScalarParser<T> parse, T placeholder) =>
        Required(key) is { } node && parse(node, PathOf(key), _errors, out var value) ? value : placeholder;
}
