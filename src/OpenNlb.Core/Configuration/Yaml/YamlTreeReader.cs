using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace OpenNlb.Core.Configuration.Yaml;

/// <summary>
/// Turns YAML text into a <see cref="ConfigNode"/> tree from YamlDotNet's event stream. It walks the
/// events with an explicit stack, so nesting is bounded by <see cref="ConfigLimits.MaxDepth"/> rather
/// than by the call stack, and it refuses aliases, tags and several documents: a configuration file
/// needs none of them, and aliases are how small texts expand into huge trees.
/// </summary>
internal static class YamlTreeReader
{
    /// <summary>
    /// What YamlDotNet's scanner says with an InvalidOperationException instead of a YamlException
    /// (seen: a flow sequence left open at the end of the text): where it stopped, and what to look for.
    /// </summary>
    public const string MalformedAfter = "malformed YAML after this point: look for a [, { or quote that is not closed";

    /// <summary>The document's root node, or null with the reason reported to <paramref name="errors"/>.</summary>
    public static ConfigNode? Read(string yaml, ErrorSink errors)
    {
        var parser = new Parser(new StringReader(yaml));
        var open = new Stack<Frame>();
        ConfigNode? root = null;
        var documents = 0;
        var position = new TextPosition(1, 1);
        while (true)
        {
            ParsingEvent? current;
            try
            {
                current = parser.MoveNext() ? parser.Current : null;
            }
            catch (YamlException ex)
            {
                // For a tab in the indentation YamlDotNet points at the start of the enclosing
                // mapping, which may be far away; the tab itself is more use to whoever edits the file.
                var where = ex.Message.Contains("tab", StringComparison.Ordinal)
                    ? IndentationTab(yaml, ex.Start.Line) ?? At(ex.Start)
                    : At(ex.Start);
                return Fail(errors, where, ex.Message);
            }
            catch (Exception)
            {
                // YamlDotNet 16.3 also throws InvalidOperationException from its scanner on some
                // malformed input. Whatever fails inside the parser is a syntax error of the text.
                return Fail(errors, position, MalformedAfter);
            }

            if (current is null)
            {
                return root;
            }

            position = At(current.Start);
            switch (current)
            {
                case DocumentStart when ++documents > 1:
                    return Fail(errors, position, "only one YAML document is allowed");
                case AnchorAlias:
                    return Fail(errors, position, "aliases (*name) are not supported");
                case NodeEvent { Tag.IsEmpty: false }:
                    return Fail(errors, position, "tags (!name) are not supported");
                case Scalar scalar:
                    var added = Attach(open, new ScalarNode(scalar.Value, scalar.Style == ScalarStyle.Plain, position), ref root);
                    if (added is not null)
                    {
                        return Fail(errors, position, added);
                    }

                    break;
                case MappingStart or SequenceStart:
                    if (open.Count >= ConfigLimits.MaxDepth)
                    {
                        return Fail(errors, position, $"nesting deeper than {ConfigLimits.MaxDepth} levels");
                    }

                    open.Push(new Frame(current is MappingStart, position));
                    break;
                case MappingEnd or SequenceEnd:
                    var node = open.Pop().ToNode();
                    var closed = Attach(open, node, ref root);
                    if (closed is not null)
                    {
                        return Fail(errors, node.Start, closed);
                    }

                    break;
                default:
                    break;
            }
        }
    }

    private static string? Attach(Stack<Frame> open, ConfigNode node, ref ConfigNode? root)
    {
        if (open.Count == 0)
        {
            root = node;
            return null;
        }

        return open.Peek().Add(node);
    }

    private static ConfigNode? Fail(ErrorSink errors, TextPosition position, string message)
    {
        errors.Add(position.ToString(), message);
        return null;
    }

    private static TextPosition At(Mark mark) => new(mark.Line, mark.Column);

    /// <summary>The first tab in a line's leading whitespace, from line <paramref name="fromLine"/> on.</summary>
    private static TextPosition? IndentationTab(string yaml, long fromLine)
    {
        var line = 1L;
        foreach (var text in yaml.AsSpan().EnumerateLines())
        {
            if (line >= fromLine)
            {
                var indent = text.Length - text.TrimStart(" \t").Length;
                var tab = text[..indent].IndexOf('\t');
                if (tab >= 0)
                {
                    return new TextPosition(line, tab + 1);
                }
            }

            line++;
        }

        return null;
    }

    /// <summary>A mapping or list still being read.</summary>
    private sealed class Frame(bool isMapping, TextPosition start)
    {
        private readonly List<ConfigNode> _items = [];
        private readonly List<KeyValuePair<ScalarNode, ConfigNode>> _entries = [];
        private ScalarNode? _pendingKey;

        /// <summary>Adds a child; returns why it cannot be added, or null.</summary>
        public string? Add(ConfigNode node)
        {
            if (!isMapping)
            {
                _items.Add(node);
                return null;
            }

            if (_pendingKey is not null)
            {
                _entries.Add(new(_pendingKey, node));
                _pendingKey = null;
                return null;
            }

            if (node is ScalarNode key)
            {
                _pendingKey = key;
                return null;
            }

            return $"a key must be a plain value, not {node.Describe()}";
        }

        public ConfigNode ToNode() =>
            isMapping ? new MappingNode(_entries, start) : new SequenceNode(_items, start);
    }
}
