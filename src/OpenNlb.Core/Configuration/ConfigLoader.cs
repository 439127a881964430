using System.Text;
using OpenNlb.Core.Configuration.Loading;
using OpenNlb.Core.Configuration.Yaml;

namespace OpenNlb.Core.Configuration;

/// <summary>
/// Reads a host's YAML configuration from text. The text is untrusted: this never throws on bad
/// input, bounds size and nesting, and reports every error it finds (YAML syntax, unknown keys,
/// wrong types, bad values, then the <see cref="ConfigValidator"/>'s rules) with its path.
/// </summary>
public static class ConfigLoader
{
    public static ConfigResult Parse(string yaml)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        var errors = new ErrorSink();

        // A UTF-8 byte count is at least the character count, so a string that long is too big
        // without counting.
        if (yaml.Length > ConfigLimits.MaxInputBytes || Encoding.UTF8.GetByteCount(yaml) > ConfigLimits.MaxInputBytes)
        {
            errors.Add(ErrorSink.DocumentPath, $"the configuration is larger than {ConfigLimits.MaxInputBytes} bytes");
            return Failed(errors);
        }

        // File.ReadAllText drops a byte order mark, other readers may not; YamlDotNet would take it
        // for part of the first key.
        var root = YamlTreeReader.Read(yaml.StartsWith('\uFEFF') ? yaml[1..] : yaml, errors);
        if (errors.HasErrors)
        {
            return Failed(errors);
        }

        var config = ConfigMapper.Map(root, errors);
        if (config is null)
        {
            return Failed(errors);
        }

        ConfigValidator.Validate(config, errors);
        return errors.HasErrors ? Failed(errors) : new ConfigResult(config, []);
    }

    private static ConfigResult Failed(ErrorSink errors) => new(null, errors.ToList());
}
