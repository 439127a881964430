using System.Net;

namespace OpenNlb.Core.Configuration.Validation;

/// <summary>Each port rule on its own, then every pair of rules for overlaps.</summary>
internal static class PortRuleRules
{
    public const string AffinityOnlyForMultiple = "affinity applies only to filtering: multiple";

    public const string TimeoutOnlyWithAffinity =
        "affinityTimeoutSeconds applies only to filtering: multiple with affinity single or network";

    private const string Path = "cluster.portRules";

    public static void Check(ClusterConfig cluster, ErrorSink errors)
    {
        if (!errors.IsKnown(Path))
        {
            return;
        }

        var rules = cluster.PortRules;
        var tooMany = rules.Count > ConfigLimits.MaxPortRules;
        if (tooMany)
        {
            errors.Add(Path, $"at most {ConfigLimits.MaxPortRules} port rules are allowed, got {rules.Count}");
        }

        var allVipsKnown = errors.IsKnown("cluster.vips")
            && Enumerable.Range(0, cluster.Vips.Count).All(i => errors.IsKnown(ConfigPath.Index("cluster.vips", i)));
        var firstByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < rules.Count; i++)
        {
            CheckRule(rules[i], ConfigPath.Index(Path, i), cluster.Vips, allVipsKnown, errors);
            CheckUniqueName(rules[i].Name, i, firstByName, errors);
        }

        // Overlaps are quadratic in the number of rules; past the limit that is already an error.
        if (!tooMany)
        {
            CheckOverlaps(rules, errors);
        }
    }

    private static void CheckRule(PortRule rule, string path, IReadOnlyList<IPAddress> vips, bool allVipsKnown, ErrorSink errors)
    {
        var name = $"{path}.name";
        if (errors.IsKnown(name) && !NameRules.IsRuleName(rule.Name))
        {
            errors.Add(name, $"{ConfigPath.Quote(rule.Name)} {NameRules.RuleNameMessage}");
        }

        // A VIP not listed in cluster.vips could only be told apart from a mistyped one if every
        // VIP was read; otherwise a VIP the loader could not parse might be the one meant.
        var vip = $"{path}.vip";
        if (errors.IsKnown(vip) && rule.Vip is { } address && allVipsKnown && !vips.Contains(address))
        {
            errors.Add(vip, $"{address} is not one of cluster.vips");
        }

        var ports = $"{path}.ports";
        if (errors.IsKnown(ports))
        {
            if (!IsInPortSpace(rule.Ports))
            {
                errors.Add(ports, $"{RangeText(rule.Ports)} is outside 0..65535");
            }
            else if (rule.Ports.First > rule.Ports.Last)
            {
                errors.Add(ports, $"{RangeText(rule.Ports)} is an empty range");
            }
        }

        var affinity = $"{path}.affinity";
        if (errors.IsKnown(affinity) && errors.IsKnown($"{path}.filtering")
            && rule.Filtering != FilteringMode.Multiple && rule.Affinity != Affinity.Single)
        {
            errors.Add(affinity, AffinityOnlyForMultiple);
        }

        CheckAffinityTimeout(rule, path, errors);
    }

    private static void CheckAffinityTimeout(PortRule rule, string path, ErrorSink errors)
    {
        var timeout = $"{path}.affinityTimeoutSeconds";
        if (!errors.IsKnown(timeout))
        {
            return;
        }

        RangeRule.Check(errors, timeout, rule.AffinityTimeoutSeconds, 0, PortRule.MaxAffinityTimeoutSeconds);

        // Without affinity a client's flows land in many buckets, so there is no client to keep.
        if (rule.AffinityTimeoutSeconds > 0 && errors.IsKnown($"{path}.filtering") && errors.IsKnown($"{path}.affinity")
            && (rule.Filtering != FilteringMode.Multiple || rule.Affinity == Affinity.None))
        {
            errors.Add(timeout, TimeoutOnlyWithAffinity);
        }
    }

    private static void CheckUniqueName(string name, int index, Dictionary<string, int> firstByName, ErrorSink errors)
    {
        var path = $"{ConfigPath.Index(Path, index)}.name";
        if (!errors.IsKnown(path) || !NameRules.IsRuleName(name))
        {
            return;
        }

        if (!firstByName.TryAdd(name, index))
        {
            errors.Add(path, $"duplicate name {ConfigPath.Quote(name)} (also portRules[{firstByName[name]}])");
        }
    }

    /// <summary>
    /// Two rules may not both claim a packet: same VIP scope (the same VIP, or both all), a protocol
    /// in common and a port in common. A rule for one VIP may overlap an all rule: it takes precedence.
    /// </summary>
    private static void CheckOverlaps(IReadOnlyList<PortRule> rules, ErrorSink errors)
    {
        // A rule whose ports are already wrong would only add noise.
        var usable = new bool[rules.Count];
        for (var i = 0; i < rules.Count; i++)
        {
            var path = ConfigPath.Index(Path, i);
            usable[i] = errors.IsKnown($"{path}.ports") && errors.IsKnown($"{path}.vip") && errors.IsKnown($"{path}.protocol")
                && IsValidRange(rules[i].Ports);
        }

        for (var later = 1; later < rules.Count; later++)
        {
            for (var earlier = 0; earlier < later; earlier++)
            {
                if (usable[later] && usable[earlier] && Overlap(rules[earlier], rules[later]))
                {
                    var name = rules[earlier].Name;
                    var shown = NameRules.IsRuleName(name) ? $" ({name})" : "";
                    errors.Add($"{ConfigPath.Index(Path, later)}.ports", $"overlaps portRules[{earlier}]{shown}");
                }
            }
        }
    }

    private static bool IsInPortSpace(PortRange ports) =>
        PortRange.All.Contains(ports.First) && PortRange.All.Contains(ports.Last);

    private static bool IsValidRange(PortRange ports) => IsInPortSpace(ports) && ports.First <= ports.Last;

    private static bool Overlap(PortRule a, PortRule b) =>
        Equals(a.Vip, b.Vip)
        && (a.Protocol == b.Protocol || a.Protocol == Protocol.Both || b.Protocol == Protocol.Both)
        && a.Ports.Overlaps(b.Ports);

    // PortRange prints a reversed range as "80-70" too; spelled out here so messages do not depend on it.
    private static string RangeText(PortRange ports) =>
        ports.First == ports.Last ? $"{ports.First}" : $"{ports.First}-{ports.Last}";
}
