using OpenNlb.Core.Configuration.Validation;

namespace OpenNlb.Core.Configuration;

/// <summary>
/// Every semantic rule of a configuration, all errors at once, each with its path. The loader runs
/// it after mapping a file; code that builds records directly runs it before using them.
/// </summary>
public static class ConfigValidator
{
    public static IReadOnlyList<ConfigError> Validate(NlbConfig config)
    {
        var errors = new ErrorSink();
        Validate(config, errors);
        return errors.ToList();
    }

    /// <summary>Validates what the loader could read; paths it marked unknown are skipped.</summary>
    internal static void Validate(NlbConfig config, ErrorSink errors)
    {
        ClusterRules.Check(config.Cluster, errors);
        PortRuleRules.Check(config.Cluster, errors);
        HostRules.Check(config.Host, config.Cluster, errors);
    }
}
