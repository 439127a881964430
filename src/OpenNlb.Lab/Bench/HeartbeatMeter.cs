using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace OpenNlb.Lab.Bench;

/// <summary>
/// Counts the real bytes each host sends to the heartbeat port, where a switch would: a bridge
/// table in the switch's namespace with one named counter per host port, matched at the bridge's
/// prerouting hook (each frame once, as it enters from its host, however many ports it is flooded
/// to). The counter sees the IP packet: IP and UDP headers and payload, not the Ethernet header.
/// </summary>
public static partial class HeartbeatMeter
{
    private const string Table = "opennlb_bench_heartbeats";

    public static async Task<IReadOnlyList<HeartbeatRate>> MeasureAsync(LabHandle lab, TimeSpan window, CancellationToken cancellationToken)
    {
        var port = NlbdConfigWriter.Build(lab.Name, lab.Mode, 1).Cluster.Heartbeat.Port;
        var hosts = lab.Hosts.Select(h => h.Name).ToList();
        var script = new StringBuilder();
        script.Append(CultureInfo.InvariantCulture, $"table bridge {Table} {{\n");
        foreach (var host in hosts)
        {
            script.Append(CultureInfo.InvariantCulture, $"  counter {host} {{ }}\n");
        }

        script.Append("  chain ingress {\n    type filter hook prerouting priority 0; policy accept;\n");
        foreach (var host in hosts)
        {
            script.Append(CultureInfo.InvariantCulture, $"    iifname \"{host}\" udp dport {port} counter name \"{host}\"\n");
        }

        script.Append("  }\n}\n");
        await LabNft.RunAsync(lab, LabNames.Switch, $"table bridge {Table}\ndelete table bridge {Table}\n{script}", cancellationToken);
        try
        {
            var started = DateTime.UtcNow;
            await Task.Delay(window, cancellationToken);
            var rates = new List<HeartbeatRate>();
            foreach (var host in hosts)
            {
                var text = await LabNft.QueryAsync(lab, LabNames.Switch, ["list", "counter", "bridge", Table, host], cancellationToken);
                var seconds = (DateTime.UtcNow - started).TotalSeconds;
                var match = CounterText().Match(text);
                if (!match.Success)
                {
                    throw new LabException($"cannot read counter {host} of bridge table {Table}: {text}");
                }

                var packets = long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
                var bytes = long.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
                rates.Add(new HeartbeatRate(host, packets / seconds, bytes / seconds, packets == 0 ? 0 : (double)bytes / packets));
            }

            return rates;
        }
        finally
        {
            await LabNft.RunAsync(lab, LabNames.Switch, $"delete table bridge {Table}\n", CancellationToken.None);
        }
    }

    [GeneratedRegex(@"packets (\d+) bytes (\d+)")]
    private static partial Regex CounterText();
}
