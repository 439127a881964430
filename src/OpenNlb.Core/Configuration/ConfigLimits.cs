namespace OpenNlb.Core.Configuration;

/// <summary>
/// Bounds on what a configuration may hold. The file is untrusted input: these keep parsing and
/// validation linear and small whatever it contains.
/// </summary>
public static class ConfigLimits
{
    /// <summary>Largest configuration text accepted, in UTF-8 bytes (1 MiB).</summary>
    public const int MaxInputBytes = 1 << 20;

    /// <summary>Deepest nesting of mappings and lists; a valid file needs 4.</summary>
    public const int MaxDepth = 32;

    /// <summary>Errors reported at most; a last error says that more were left out.</summary>
    public const int MaxErrors = 100;

    /// <summary>NLB's own limit on port rules per cluster.</summary>
    public const int MaxPortRules = 32;

    public const int MaxVips = 32;
}
