using System.Net;
using System.Net.Sockets;

namespace OpenNlb.Core.Configuration.Validation;

/// <summary>This host's own section, and how it refers to the cluster's.</summary>
internal static class HostRules
{
    public static void Check(HostConfig host, ClusterConfig cluster, ErrorSink errors)
    {
        RangeRule.Check(errors, "host.priority", host.Priority, 1, 64);

        if (errors.IsKnown("host.interface") && !NameRules.IsInterfaceName(host.Interface))
        {
            errors.Add("host.interface", $"{ConfigPath.Quote(host.Interface)} {NameRules.InterfaceMessage}");
        }

        CheckDedicatedIp(host.DedicatedIp, cluster, errors);
        CheckMetrics(host.Metrics, errors);
        CheckRuleSettings(host, cluster, errors);
    }

    /// <summary>Checked even when disabled: a wrong value is a mistake whether or not it is used yet.</summary>
    private static void CheckMetrics(MetricsConfig metrics, ErrorSink errors)
    {
        const string Path = "host.metrics.listen";
        if (!errors.IsKnown(Path))
        {
            return;
        }

        if (metrics.Port is < 1 or > 65535)
        {
            errors.Add(Path, $"port {metrics.Port} is outside 1..65535");
        }

        // Loopback and the unspecified address (every address) are what an endpoint listens on.
        var problem = AddressRules.NotUnicast(metrics.Address);
        if (problem is not null && !IPAddress.IsLoopback(metrics.Address)
            && !metrics.Address.Equals(IPAddress.Any) && !metrics.Address.Equals(IPAddress.IPv6Any))
        {
            errors.Add(Path, $"{metrics.Address} is {problem}; listen on a local address such as 127.0.0.1");
        }
    }

    private static void CheckDedicatedIp(IPNetworkAddress dip, ClusterConfig cluster, ErrorSink errors)
    {
        const string Path = "host.dedicatedIp";
        if (!errors.IsKnown(Path))
        {
            return;
        }

        var max = AddressRules.MaxPrefixLength(dip.Address);
        if (dip.PrefixLength < 1 || dip.PrefixLength > max)
        {
            errors.Add(Path, $"prefix length {dip.PrefixLength} is outside 1..{max} for {AddressRules.FamilyName(dip.Address)}");
            return;
        }

        if (AddressRules.NotUnicast(dip.Address) is { } problem)
        {
            errors.Add(Path, $"{dip.Address} is {problem}");
            return;
        }

        // On an IPv4 network with host bits to spare, its first and last addresses are not a host's.
        if (dip.Address.AddressFamily == AddressFamily.InterNetwork && dip.PrefixLength <= 30)
        {
            if (dip.Address.Equals(dip.Network.BaseAddress))
            {
                errors.Add(Path, $"{dip.Address} is the network address of {dip.Network}");
                return;
            }

            if (dip.Address.Equals(dip.Broadcast))
            {
                errors.Add(Path, $"{dip.Address} is the broadcast address of {dip.Network}");
                return;
            }
        }

        for (var i = 0; i < cluster.Vips.Count; i++)
        {
            if (errors.IsKnown(ConfigPath.Index("cluster.vips", i)) && cluster.Vips[i].Equals(dip.Address))
            {
                errors.Add(Path, $"{dip.Address} is a VIP of the cluster; the dedicated IP must be the host's own");
                return;
            }
        }
    }

    private static void CheckRuleSettings(HostConfig host, ClusterConfig cluster, ErrorSink errors)
    {
        const string Path = "host.portRules";
        if (!errors.IsKnown(Path))
        {
            return;
        }

        // A name that matches no rule is only certain to be wrong if every rule's name was read.
        var names = new HashSet<string>(cluster.PortRules.Select(r => r.Name), StringComparer.Ordinal);
        var allNamesKnown = errors.IsKnown("cluster.portRules")
            && Enumerable.Range(0, cluster.PortRules.Count).All(i => errors.IsKnown($"{ConfigPath.Index("cluster.portRules", i)}.name"));

        foreach (var (name, settings) in host.PortRules)
        {
            var path = ConfigPath.Child(Path, name);
            if (!errors.IsKnown(path))
            {
                continue;
            }

            if (allNamesKnown && !names.Contains(name))
            {
                errors.Add(path, $"no port rule named {ConfigPath.Quote(name)}");
            }

            if (settings.LoadWeight is { } weight)
            {
                RangeRule.Check(errors, $"{path}.loadWeight", weight, 0, 100);
            }

            if (settings.HandlingPriority is { } priority)
            {
                RangeRule.Check(errors, $"{path}.handlingPriority", priority, 1, 64);
            }
        }
    }
}
