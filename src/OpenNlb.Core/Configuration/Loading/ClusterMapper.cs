using System.Net;
using OpenNlb.Core.Configuration.Yaml;

namespace OpenNlb.Core.Configuration.Loading;

internal static class ClusterMapper
{
    private static readonly string[] Keys = ["name", "vips", "mode", "filterIcmp", "heartbeat", "portRules"];
    private static readonly string[] HeartbeatKeys = ["periodMs", "tolerance", "takeover", "port", "key", "keyFile"];

    // The records hold the defaults; an instance built without optional values reads them back.
    private static readonly ClusterConfig Defaults = new() { Name = "", Vips = [], PortRules = [] };
    private static readonly HeartbeatConfig HeartbeatDefaults = new();

    public static ClusterConfig Map(ConfigNode? node, string path, ErrorSink errors)
    {
        var map = node is null ? null : MappingReader.Open(node, path, Keys, errors);
        if (map is null)
        {
            errors.MarkUnknown(path);
            return Defaults;
        }

        return new ClusterConfig
        {
            Name = map.ReadRequired("name", ScalarReader.String, ""),
            Vips = MapVips(map.Required("vips"), map.PathOf("vips"), errors),
            Mode = map.Read("mode", ScalarReader.Enum(ConfigNames.Modes), Defaults.Mode),
            FilterIcmp = map.Read("filterIcmp", ScalarReader.Bool, Defaults.FilterIcmp),
            Heartbeat = map.Optional("heartbeat") is { } heartbeat
                ? MapHeartbeat(heartbeat, map.PathOf("heartbeat"), errors)
                : HeartbeatDefaults,
            PortRules = PortRuleMapper.MapAll(map.Required("portRules"), map.PathOf("portRules"), errors),
        };
    }

    private static IReadOnlyList<IPAddress> MapVips(ConfigNode? node, string path, ErrorSink errors)
    {
        if (node is null)
        {
            return [];
        }

        if (node is not SequenceNode list)
        {
            errors.Reject(path, $"expected a list of addresses, got {node.Describe()}");
            return [];
        }

        var vips = new IPAddress[list.Items.Count];
        for (var i = 0; i < vips.Length; i++)
        {
            vips[i] = ScalarReader.Address(list.Items[i], ConfigPath.Index(path, i), errors, out var vip)
                ? vip
                : IPAddress.None;
        }

        return vips;
    }

    private static HeartbeatConfig MapHeartbeat(ConfigNode node, string path, ErrorSink errors)
    {
        var map = MappingReader.Open(node, path, HeartbeatKeys, errors);
        if (map is null)
        {
            return HeartbeatDefaults;
        }

        return new HeartbeatConfig
        {
            PeriodMs = map.Read("periodMs", ScalarReader.Int, HeartbeatDefaults.PeriodMs),
            Tolerance = map.Read("tolerance", ScalarReader.Int, HeartbeatDefaults.Tolerance),
            Takeover = map.Read("takeover", ScalarReader.Bool, HeartbeatDefaults.Takeover),
            Port = map.Read("port", ScalarReader.Int, HeartbeatDefaults.Port),
            Key = map.Read("key", ScalarReader.Key, HeartbeatDefaults.Key),
            KeyFile = map.Read("keyFile", ScalarReader.OptionalString, HeartbeatDefaults.KeyFile),
        };
    }
}
