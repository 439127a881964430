namespace OpenNlb.Core.Configuration.Yaml;

/// <summary>
/// A scalar as written. Plain (unquoted) scalars may be integers, booleans or null; quoted ones are
/// always strings, as in YAML's core schema.
/// </summary>
internal sealed class ScalarNode(string value, bool isPlain, TextPosition start) : ConfigNode(start)
{
    public string Value { get; } = value;

    public bool IsPlain { get; } = isPlain;

    /// <summary>YAML's null: an empty plain value, <c>~</c> or <c>null</c>.</summary>
    public bool IsNull => IsPlain && Value is "" or "~" or "null" or "Null" or "NULL";

    public override string Describe()
    {
        if (IsNull)
        {
            return "nothing";
        }

        return IsPlain ? ConfigPath.Quote(Value) : $"the quoted string {ConfigPath.Quote(Value)}";
    }
}
