using System.Net;

namespace OpenNlb.Core.Configuration.Validation;

/// <summary>The cluster's name, VIPs and heartbeat.</summary>
internal static class ClusterRules
{
    public static void Check(ClusterConfig cluster, ErrorSink errors)
    {
        if (errors.IsKnown("cluster.name") && !NameRules.IsClusterName(cluster.Name))
        {
            errors.Add("cluster.name", $"{ConfigPath.Quote(cluster.Name)} {NameRules.ClusterNameMessage}");
        }

        CheckVips(cluster.Vips, errors);

        const string Heartbeat = "cluster.heartbeat";
        RangeRule.Check(errors, $"{Heartbeat}.periodMs", cluster.Heartbeat.PeriodMs, 10, 10_000);

        // Three periods at least: the lease is the detection time less two periods, and must be one.
        RangeRule.Check(errors, $"{Heartbeat}.tolerance", cluster.Heartbeat.Tolerance, 3, 100);
        RangeRule.Check(errors, $"{Heartbeat}.port", cluster.Heartbeat.Port, 1, 65535);
        KeyRules.Check(cluster.Heartbeat, errors);
    }

    private static void CheckVips(IReadOnlyList<IPAddress> vips, ErrorSink errors)
    {
        const string Path = "cluster.vips";
        if (!errors.IsKnown(Path))
        {
            return;
        }

        if (vips.Count == 0)
        {
            errors.Add(Path, "at least one VIP is required");
            return;
        }

        if (vips.Count > ConfigLimits.MaxVips)
        {
            errors.Add(Path, $"at most {ConfigLimits.MaxVips} VIPs are allowed, got {vips.Count}");
        }

        var first = new Dictionary<IPAddress, int>();
        for (var i = 0; i < vips.Count; i++)
        {
            var path = ConfigPath.Index(Path, i);
            if (!errors.IsKnown(path))
            {
                continue;
            }

            var vip = vips[i];
            if (AddressRules.NotUnicast(vip) is { } problem)
            {
                errors.Add(path, $"{vip} is {problem}");
            }
            else if (!first.TryAdd(vip, i))
            {
                errors.Add(path, $"duplicate of vips[{first[vip]}]");
            }
        }
    }
}
