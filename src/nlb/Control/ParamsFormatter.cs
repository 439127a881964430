using System.Globalization;
using OpenNlb.Cli.Lab;
using OpenNlb.Core.Control;

namespace OpenNlb.Cli.Control;

/// <summary>`nlb params` as text: one parameter a line, then the port rules as a table.</summary>
internal static class ParamsFormatter
{
    public static string Format(ParamsReport p)
    {
        var c = p.Cluster;
        var hb = c.Heartbeat;
        var h = p.Host;
        var w = new StringWriter(CultureInfo.InvariantCulture);
        Line(w, "configuration", p.ConfigPath is null ? "(not known)" : p.FileSha256 is null ? p.ConfigPath : $"{p.ConfigPath} (sha256 {p.FileSha256})");
        Line(w, "fingerprint", $"{p.Fingerprint} (of the cluster section: every host must have the same)");
        Line(w, "cluster", c.Name);
        Line(w, "VIPs", string.Join(", ", c.Vips) + (c.Vips.Count > 1 ? " (the first is the primary cluster IP)" : string.Empty));
        Line(w, "mode", c.ClusterMac is null ? c.Mode : $"{c.Mode}, cluster MAC {c.ClusterMac}");
        Line(w, "ICMP", c.FilterIcmp ? "filtered (one host answers a ping)" : "not filtered (every host answers a ping)");
        Line(w, "heartbeat", $"every {hb.PeriodMs} ms on UDP port {hb.Port}; a host is dropped after {hb.Tolerance} missed ({hb.DetectionMs} ms); lease {hb.LeaseMs} ms");
        Line(w, "cluster key", hb.KeyFile is null ? "in the configuration file" : $"from {hb.KeyFile}");
        Line(w, "hash", $"seed {c.HashSeed}, {c.BucketCount} buckets per multiple-host rule");
        Line(w, "host priority", h.Priority.ToString(CultureInfo.InvariantCulture));
        Line(w, "interface", $"{h.Interface}, dedicated IP {h.DedicatedIp}");
        Line(w, "initial state", h.InitialState);
        w.WriteLine();
        w.WriteLine("port rules:");
        var table = new TextTable("NAME", "VIP", "PORTS", "PROTOCOL", "FILTERING", "AFFINITY", "AFFINITY TIMEOUT", "LOAD WEIGHT", "HANDLING PRIORITY");
        foreach (var r in c.PortRules)
        {
            var mine = h.PortRules.FirstOrDefault(x => x.Rule == r.Name);
            var multiple = r.Filtering == "multiple";
            table.Add(
                r.Name,
                r.Vip,
                r.FirstPort == r.LastPort ? N(r.FirstPort) : $"{N(r.FirstPort)}-{N(r.LastPort)}",
                r.Protocol,
                r.Filtering,
                multiple ? r.Affinity : "-",
                multiple && r.AffinityTimeoutSeconds > 0 ? $"{N(r.AffinityTimeoutSeconds)} s" : "-",
                !multiple ? "-" : mine?.LoadWeight is { } lw ? N(lw) : "equal",
                r.Filtering == "single" && mine is not null ? N(mine.HandlingPriority) : "-");
        }

        w.Write(table.ToString());
        return w.ToString();
    }

    private static void Line(StringWriter w, string name, string value) => w.WriteLine($"{name,-15} {value}");

    private static string N(int n) => n.ToString(CultureInfo.InvariantCulture);
}
