namespace OpenNlb.Core.Configuration;

/// <summary>
/// One problem in a configuration: where it is (<c>cluster.portRules[1].ports</c>, or
/// <c>line 3, column 7</c> for YAML syntax) and what is wrong.
/// </summary>
public sealed record ConfigError(string Path, string Message)
{
    public override string ToString() => $"{Path}: {Message}";
}
