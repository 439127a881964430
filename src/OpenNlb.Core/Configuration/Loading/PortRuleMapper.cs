using OpenNlb.Core.Configuration.Validation;
using OpenNlb.Core.Configuration.Yaml;

namespace OpenNlb.Core.Configuration.Loading;

internal static class PortRuleMapper
{
    private static readonly string[] Keys = ["name", "vip", "ports", "protocol", "filtering", "affinity", "affinityTimeoutSeconds"];
    private static readonly PortRule Defaults = new() { Name = "", Ports = PortRange.All };

    public static IReadOnlyList<PortRule> MapAll(ConfigNode? node, string path, ErrorSink errors)
    {
        if (node is null)
        {
            return [];
        }

        if (node is not SequenceNode list)
        {
            errors.Reject(path, $"expected a list of port rules, got {node.Describe()}");
            return [];
        }

        var rules = new PortRule[list.Items.Count];
        for (var i = 0; i < rules.Length; i++)
        {
            rules[i] = Map(list.Items[i], ConfigPath.Index(path, i), errors);
        }

        return rules;
    }

    private static PortRule Map(ConfigNode node, string path, ErrorSink errors)
    {
        var map = MappingReader.Open(node, path, Keys, errors);
        if (map is null)
        {
            return Defaults;
        }

        var rule = new PortRule
        {
            Name = map.ReadRequired("name", ScalarReader.String, ""),
            Vip = map.Read("vip", ScalarReader.VipOrAll, Defaults.Vip),
            Ports = map.ReadRequired("ports", ScalarReader.Ports, Defaults.Ports),
            Protocol = map.Read("protocol", ScalarReader.Enum(ConfigNames.Protocols), Defaults.Protocol),
            Filtering = map.Read("filtering", ScalarReader.Enum(ConfigNames.Filtering), Defaults.Filtering),
            Affinity = map.Read("affinity", ScalarReader.Enum(ConfigNames.Affinities), Defaults.Affinity),
            AffinityTimeoutSeconds = map.Read("affinityTimeoutSeconds", ScalarReader.Int, Defaults.AffinityTimeoutSeconds),
        };

        // The records cannot tell "affinity: single" from no affinity at all (the default), so the
        // validator only sees a non-default value; writing the key on a single-host or disabled rule
        // is caught here, where it is visible.
        var affinityPath = map.PathOf("affinity");
        if (map.Optional("affinity") is not null && errors.IsKnown(affinityPath)
            && errors.IsKnown(map.PathOf("filtering")) && rule.Filtering != FilteringMode.Multiple)
        {
            errors.Reject(affinityPath, PortRuleRules.AffinityOnlyForMultiple);
        }

        return rule;
    }
}
