namespace OpenNlb.Core.Configuration;

/// <summary>The YAML spelling of an enum's values: one table read by the loader and the writer.</summary>
internal sealed class EnumNames<T>(params (string Name, T Value)[] names)
    where T : struct, Enum
{
    /// <summary>For messages: "tcp, udp or both".</summary>
    public string Alternatives { get; } =
        names.Length == 1
            ? names[0].Name
            : $"{string.Join(", ", names[..^1].Select(n => n.Name))} or {names[^1].Name}";

    public bool TryParse(string text, out T value)
    {
        foreach (var (name, candidate) in names)
        {
            if (string.Equals(name, text, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    public string NameOf(T value)
    {
        foreach (var (name, candidate) in names)
        {
            if (EqualityComparer<T>.Default.Equals(candidate, value))
            {
                return name;
            }
        }

        // An undefined value cast into the enum: written as its number, which the loader rejects.
        return Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture)
            .ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
