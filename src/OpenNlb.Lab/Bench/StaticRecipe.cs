using System.Globalization;
using OpenNlb.Core.DataPlane;
using OpenNlb.Lab.Service;

namespace OpenNlb.Lab.Bench;

/// <summary>
/// The filter a Linux user writes by hand instead of OpenNLB (bench/lab-bench.sh's "static"): a
/// fixed `jhash ... mod N != i drop` per host, no conntrack, no membership, with the unicast MAC
/// trick so that frames reach every host. Its answer to a host joining or leaving is an operator
/// rewriting the modulo on every host, one host after the other. The echo rule hashes client
/// address and port, like the lab's echo port rule (affinity none), so that UDP flows spread as
/// they do under OpenNLB.
/// </summary>
public static class StaticRecipe
{
    private const string MaskTable = "static_mask";
    private const string FilterTable = "static_lb";

    /// <summary>
    /// Puts <paramref name="hosts"/> (in this order: index 0, 1, ...) in the static cluster of that
    /// many hosts. <paramref name="flushClients"/>: make the clients resolve the VIP again (after
    /// nlbd in multicast mode, whose MAC differs); never during a change, because a client that asks
    /// while a leaving host still has the VIP under its own MAC would send everything to it.
    /// </summary>
    public static async Task InstallAsync(LabHandle lab, IReadOnlyList<int> hosts, bool flushClients, CancellationToken cancellationToken)
    {
        var clusterMac = ClusterMac.Format(ClusterMac.Unicast(lab.Vip));
        for (var index = 0; index < hosts.Count; index++)
        {
            // The source masking before the cluster MAC: one frame sent from the cluster MAC would
            // teach the switch that MAC on this host's port, and all VIP traffic would go there.
            var host = LabNames.Host(hosts[index]);
            await LabNft.RunAsync(lab, host, Ruleset(lab, hosts[index], index, hosts.Count, clusterMac), cancellationToken);
            await IpAsync(lab, host, ["link", "set", "dev", "eth0", "address", clusterMac], cancellationToken);
            await IpAsync(lab, host, ["addr", "replace", $"{lab.Vip}/32", "dev", "eth0", "noprefixroute"], cancellationToken);
        }

        foreach (var client in flushClients ? lab.Clients : [])
        {
            await IpAsync(lab, client.Name, ["neigh", "flush", "all"], cancellationToken);
        }
    }

    /// <summary>Takes a host out of the static cluster: no filter, no VIP, its own MAC.</summary>
    public static async Task RemoveAsync(LabHandle lab, int host, CancellationToken cancellationToken)
    {
        // The VIP first: a host that still had the VIP under its own MAC would answer a client's ARP
        // for it with that MAC. Then its own MAC: it no longer receives the cluster's frames, and the
        // masking can go without the switch ever seeing the cluster MAC as a source.
        var node = lab.Host(host);
        await IpAsync(lab, node.Name, ["addr", "del", $"{lab.Vip}/32", "dev", "eth0"], cancellationToken);
        await IpAsync(lab, node.Name, ["link", "set", "dev", "eth0", "address", node.Mac!], cancellationToken);
        await LabNft.RunAsync(lab, node.Name, $"table netdev {MaskTable}\ndelete table netdev {MaskTable}\ntable ip {FilterTable}\ndelete table ip {FilterTable}\n", cancellationToken);
    }

    private static string Ruleset(LabHandle lab, int host, int index, int count, string clusterMac)
    {
        var vip = lab.Vip;
        var masked = ClusterMac.Format(ClusterMac.MaskedSource(host, vip));
        var jhash = string.Create(CultureInfo.InvariantCulture, $"mod {count} seed 0x1 != {index} drop");
        return string.Create(CultureInfo.InvariantCulture, $$"""
            table netdev {{MaskTable}}
            delete table netdev {{MaskTable}}
            table ip {{FilterTable}}
            delete table ip {{FilterTable}}
            table netdev {{MaskTable}} {
              chain egress {
                type filter hook egress device "eth0" priority 0; policy accept;
                ether saddr {{clusterMac}} ether saddr set {{masked}}
              }
            }
            table ip {{FilterTable}} {
              chain pre {
                type filter hook prerouting priority -150; policy accept;
                ip daddr {{vip}} tcp dport {{LabService.HttpPort}} jhash ip saddr . tcp sport {{jhash}}
                ip daddr {{vip}} tcp dport 5201 jhash ip saddr {{jhash}}
                ip daddr {{vip}} udp dport {{LabService.UdpPort}} jhash ip saddr . udp sport {{jhash}}
                ip daddr {{vip}} udp dport {{LabService.UdpPort}} accept
                ip daddr {{vip}} meta l4proto != tcp jhash ip saddr {{jhash}}
              }
            }

            """);
    }

    private static async Task IpAsync(LabHandle lab, string node, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await lab.ExecAsync(node, ["ip", .. arguments], TimeSpan.FromSeconds(10), cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new LabException($"ip {string.Join(' ', arguments)} in {node} failed: {result.StandardError.Trim()}");
        }
    }
}
