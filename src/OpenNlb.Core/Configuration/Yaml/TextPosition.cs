using System.Globalization;

namespace OpenNlb.Core.Configuration.Yaml;

/// <summary>A place in the configuration text, 1-based, as editors show it.</summary>
internal readonly record struct TextPosition(long Line, long Column)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"line {Line}, column {Column}");
}
