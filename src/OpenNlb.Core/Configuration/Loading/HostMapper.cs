using System.Net;
using OpenNlb.Core.Configuration.Yaml;

namespace OpenNlb.Core.Configuration.Loading;

internal static class HostMapper
{
    private static readonly string[] Keys = ["priority", "interface", "dedicatedIp", "initialState", "remoteControl", "metrics", "portRules"];
    private static readonly string[] RuleKeys = ["loadWeight", "handlingPriority"];
    private static readonly string[] MetricsKeys = ["enabled", "listen"];
    private static readonly HostConfig Defaults = new()
    {
        Priority = 0,
        Interface = "",
        DedicatedIp = new IPNetworkAddress(IPAddress.None, 0),
    };

    public static HostConfig Map(ConfigNode? node, string path, ErrorSink errors)
    {
        var map = node is null ? null : MappingReader.Open(node, path, Keys, errors);
        if (map is null)
        {
            errors.MarkUnknown(path);
            return Defaults;
        }

        return new HostConfig
        {
            Priority = map.ReadRequired("priority", ScalarReader.Int, Defaults.Priority),
            Interface = map.ReadRequired("interface", ScalarReader.String, Defaults.Interface),
            DedicatedIp = map.ReadRequired("dedicatedIp", ScalarReader.AddressWithPrefix, Defaults.DedicatedIp),
            InitialState = map.Read("initialState", ScalarReader.Enum(ConfigNames.HostStates), Defaults.InitialState),
            RemoteControl = map.Read("remoteControl", ScalarReader.Bool, Defaults.RemoteControl),
            Metrics = map.Optional("metrics") is { } metrics ? MapMetrics(metrics, map.PathOf("metrics"), errors) : Defaults.Metrics,
            PortRules = map.Optional("portRules") is { } rules
                ? MapRules(rules, map.PathOf("portRules"), errors)
                : new Dictionary<string, HostPortRule>(StringComparer.Ordinal),
        };
    }

    /// <summary>Each missing key takes its default, as in <c>heartbeat</c>.</summary>
    private static MetricsConfig MapMetrics(ConfigNode node, string path, ErrorSink errors)
    {
        var map = MappingReader.Open(node, path, MetricsKeys, errors);
        if (map is null)
        {
            return Defaults.Metrics;
        }

        var (address, port) = map.Read("listen", ScalarReader.Endpoint, (Defaults.Metrics.Address, Defaults.Metrics.Port));
        return new MetricsConfig
        {
            Enabled = map.Read("enabled", ScalarReader.Bool, Defaults.Metrics.Enabled),
            Address = address,
            Port = port,
        };
    }

    private static Dictionary<string, HostPortRule> MapRules(ConfigNode node, string path, ErrorSink errors)
    {
        var settings = new Dictionary<string, HostPortRule>(StringComparer.Ordinal);
        if (node is not MappingNode mapping)
        {
            errors.Reject(path, $"expected a mapping from port rule names to settings, got {node.Describe()}");
            return settings;
        }

        foreach (var (name, value) in MappingReader.Distinct(mapping, path, errors))
        {
            var rulePath = ConfigPath.Child(path, name);
            var map = MappingReader.Open(value, rulePath, RuleKeys, errors);
            settings[name] = map is null
                ? HostPortRule.Default
                : new HostPortRule
                {
                    LoadWeight = map.Read("loadWeight", ScalarReader.LoadWeight, HostPortRule.Default.LoadWeight),
                    HandlingPriority = map.Read("handlingPriority", ScalarReader.OptionalInt, HostPortRule.Default.HandlingPriority),
                };
        }

        return settings;
    }
}
