using System.Globalization;
using System.Net;
using System.Text;
using OpenNlb.Core.Configuration.Yaml;

namespace OpenNlb.Core.Configuration;

/// <summary>
/// Writes a configuration as canonical YAML: every key in a fixed order, defaults spelled out, host
/// rule settings sorted by name, "\n" line ends. <see cref="ConfigLoader.Parse"/> reads it back to
/// an equal configuration, and two equal configurations give the same text.
/// </summary>
public static class ConfigWriter
{
    public static string ToYaml(NlbConfig config)
    {
        var yaml = new StringBuilder();
        WriteCluster(yaml, config.Cluster);
        WriteHost(yaml, config.Host);
        return yaml.ToString();
    }

    private static void WriteCluster(StringBuilder yaml, ClusterConfig cluster)
    {
        var heartbeat = cluster.Heartbeat;
        yaml.Append("cluster:\n")
            .Append("  name: ").Append(YamlText.Scalar(cluster.Name)).Append('\n')
            .Append("  vips: [").AppendJoin(", ", cluster.Vips.Select(Address)).Append("]\n")
            .Append("  mode: ").Append(ConfigNames.Modes.NameOf(cluster.Mode)).Append('\n')
            .Append("  filterIcmp: ").Append(cluster.FilterIcmp ? "true" : "false").Append('\n')
            .Append(CultureInfo.InvariantCulture,
                $"  heartbeat: {{ periodMs: {heartbeat.PeriodMs}, tolerance: {heartbeat.Tolerance}, port: {heartbeat.Port}");
        if (heartbeat.Takeover)
        {
            yaml.Append(", takeover: true");
        }

        // The key is written as it is: the lab writes whole files this way. Files that hold it
        // must be readable by root only; keyFile keeps it out of the configuration instead.
        if (heartbeat.Key is { } key)
        {
            yaml.Append(", key: ").Append(YamlText.Scalar(key.ToBase64()));
        }

        if (heartbeat.KeyFile is { } keyFile)
        {
            yaml.Append(", keyFile: ").Append(YamlText.Scalar(keyFile));
        }

        yaml.Append(" }\n");

        if (cluster.PortRules.Count == 0)
        {
            yaml.Append("  portRules: []\n");
            return;
        }

        yaml.Append("  portRules:\n");
        foreach (var rule in cluster.PortRules)
        {
            yaml.Append("    - name: ").Append(YamlText.Scalar(rule.Name)).Append('\n')
                .Append("      vip: ").Append(rule.Vip is null ? ConfigNames.All : Address(rule.Vip)).Append('\n')
                .Append("      ports: ").Append(Ports(rule.Ports)).Append('\n')
                .Append("      protocol: ").Append(ConfigNames.Protocols.NameOf(rule.Protocol)).Append('\n')
                .Append("      filtering: ").Append(ConfigNames.Filtering.NameOf(rule.Filtering)).Append('\n');

            // The loader refuses affinity on a single-host or disabled rule; the default is left out
            // there, anything else is written so that the mistake stays visible.
            if (rule.Filtering == FilteringMode.Multiple || rule.Affinity != Affinity.Single)
            {
                yaml.Append("      affinity: ").Append(ConfigNames.Affinities.NameOf(rule.Affinity)).Append('\n');
            }

            // Spelled out where it applies; elsewhere only a (wrong) non-zero value is written.
            if ((rule.Filtering == FilteringMode.Multiple && rule.Affinity != Affinity.None) || rule.AffinityTimeoutSeconds != 0)
            {
                yaml.Append(CultureInfo.InvariantCulture, $"      affinityTimeoutSeconds: {rule.AffinityTimeoutSeconds}\n");
            }
        }
    }

    private static void WriteHost(StringBuilder yaml, HostConfig host)
    {
        yaml.Append("host:\n")
            .Append(CultureInfo.InvariantCulture, $"  priority: {host.Priority}\n")
            .Append("  interface: ").Append(YamlText.Scalar(host.Interface)).Append('\n')
            .Append("  dedicatedIp: ").Append(YamlText.Scalar(host.DedicatedIp.ToString())).Append('\n')
            .Append("  initialState: ").Append(ConfigNames.HostStates.NameOf(host.InitialState)).Append('\n')
            .Append("  remoteControl: ").Append(host.RemoteControl ? "true" : "false").Append('\n')
            .Append("  metrics: { enabled: ").Append(host.Metrics.Enabled ? "true" : "false")
            .Append(", listen: ").Append(YamlText.Scalar(host.Metrics.Listen)).Append(" }\n");

        if (host.PortRules.Count == 0)
        {
            return;
        }

        yaml.Append("  portRules:\n");
        foreach (var (name, settings) in host.PortRules.OrderBy(r => r.Key, StringComparer.Ordinal))
        {
            var weight = settings.LoadWeight?.ToString(CultureInfo.InvariantCulture) ?? ConfigNames.Equal;
            yaml.Append("    ").Append(YamlText.Scalar(name)).Append(": { loadWeight: ").Append(weight);
            if (settings.HandlingPriority is { } priority)
            {
                yaml.Append(CultureInfo.InvariantCulture, $", handlingPriority: {priority}");
            }

            yaml.Append(" }\n");
        }
    }

    private static string Address(IPAddress address) => YamlText.Scalar(address.ToString());

    private static string Ports(PortRange ports) =>
        ports == PortRange.All ? ConfigNames.All : ports.ToString();
}
