namespace OpenNlb.Core.Configuration;

/// <summary>
/// The outcome of loading a configuration. <see cref="Config"/> is set only when there is no error,
/// so that an invalid configuration cannot be used by mistake.
/// </summary>
public sealed record ConfigResult(NlbConfig? Config, IReadOnlyList<ConfigError> Errors)
{
    public bool IsValid => Config is not null && Errors.Count == 0;
}
