using Xunit;

namespace OpenNlb.Core.Tests.DataPlane;

/// <summary>
/// What a rendered ruleset says about ownership: the elements of every map and the verdict of
/// every one-rule chain. Read from a full render, then moved by update scripts, so a test can check
/// that an update leads exactly where a full render of the new ownership would.
/// </summary>
internal sealed class RulesetText
{
    private const string Prefix = "ip opennlb ";

    public Dictionary<string, SortedDictionary<string, string>> Maps { get; } = [];

    public Dictionary<string, string> Chains { get; } = [];

    public static RulesetText FromFull(string full)
    {
        var state = new RulesetText();
        foreach (var line in Lines(full))
        {
            if (line.StartsWith("map ", StringComparison.Ordinal))
            {
                var name = line[4..line.IndexOf(' ', 4)];
                var at = line.IndexOf("elements = { ", StringComparison.Ordinal);
                var elements = at < 0 ? string.Empty : line[(at + 13)..line.LastIndexOf(" };", StringComparison.Ordinal)];
                state.Maps[name] = new SortedDictionary<string, string>(StringComparer.Ordinal);
                state.AddElements(name, elements);
            }
            else if (line.StartsWith("chain ", StringComparison.Ordinal) && line.EndsWith("; }", StringComparison.Ordinal))
            {
                var name = line[6..line.IndexOf(' ', 6)];
                state.Chains[name] = line[(line.IndexOf("{ ", StringComparison.Ordinal) + 2)..^3];
            }
        }

        return state;
    }

    /// <summary>Applies the element and chain commands of an update; anything else fails the test.</summary>
    public void Apply(string update)
    {
        foreach (var line in Lines(update))
        {
            if (Command(line, "add element ") is { } add)
            {
                AddElements(add.Name, add.Tail.Trim('{', '}', ' '));
            }
            else if (Command(line, "delete element ") is { } delete)
            {
                foreach (var key in Split(delete.Tail.Trim('{', '}', ' ')))
                {
                    Assert.True(Maps[delete.Name].Remove(key), $"deletes {key} from {delete.Name}, which does not hold it");
                }
            }
            else if (Command(line, "flush chain ") is { } flush)
            {
                Chains[flush.Name] = string.Empty;
            }
            else if (Command(line, "add rule ") is { } rule)
            {
                Assert.Equal(string.Empty, Chains[rule.Name]);
                Chains[rule.Name] = rule.Tail;
            }
            else
            {
                Assert.Fail($"unexpected command in an update: {line}");
            }
        }
    }

    private void AddElements(string map, string elements)
    {
        foreach (var element in Split(elements))
        {
            var colon = element.LastIndexOf(" : ", StringComparison.Ordinal);
            Assert.True(Maps[map].TryAdd(element[..colon], element[(colon + 3)..]), $"adds {element} to {map}, which holds it");
        }
    }

    private static (string Name, string Tail)? Command(string line, string verb)
    {
        if (!line.StartsWith(verb + Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = line[(verb.Length + Prefix.Length)..];
        var space = rest.IndexOf(' ', StringComparison.Ordinal);
        return space < 0 ? (rest, string.Empty) : (rest[..space], rest[(space + 1)..]);
    }

    private static IEnumerable<string> Split(string elements) =>
        elements.Split(", ", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static IEnumerable<string> Lines(string text) =>
        text.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
