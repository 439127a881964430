using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OpenNlb.Core.Hashing;

namespace OpenNlb.EndToEnd.Tests.KernelHash;

/// <summary>
/// Lets the kernel hash real flows in a namespace of its own (`ct mark set jhash ...` in the output
/// hook, read back with conntrack) and compares every mark with FlowHash.Bucket.
/// </summary>
internal static class KernelHashCheck
{
    private const string Table = "onlb_hash";

    public static async Task<KernelHashReport> RunAsync(
        IPAddress server,
        IReadOnlyList<HashRule> rules,
        IReadOnlyList<IPEndPoint> udpClients,
        IReadOnlyList<IPEndPoint> tcpClients,
        CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var ipv4 = server.AddressFamily == AddressFamily.InterNetwork;
        await using var ns = await NetworkNamespace.CreateAsync(ipv4 ? "v4" : "v6", cancellationToken);
        if (ipv4)
        {
            foreach (var network in ClientSets.DocumentationNetworks)
            {
                var address = $"{network[..network.LastIndexOf('.')]}.1/24";
                await ns.ExecAsync(["ip", "addr", "add", address, "dev", "lo"], null, cancellationToken);
            }
        }

        // Far longer than the defaults (30 s for unreplied UDP, 10 s for a reset TCP connection), so
        // that a slow, shared machine cannot expire an entry between sending and listing.
        await ns.ExecAsync(
            ["sysctl", "-q", "-w", "net.netfilter.nf_conntrack_udp_timeout=300", "net.netfilter.nf_conntrack_tcp_timeout_close=300"],
            null,
            cancellationToken);

        var family = ipv4 ? "ip" : "ip6";
        await ns.ExecAsync(["nft", "-f", "-"], Ruleset(family, rules), cancellationToken);
        var listing = await ns.ExecAsync(["nft", "list", "table", family, Table], null, cancellationToken);
        var rulesNotListedBack = rules
            .Where(rule => !listing.Contains(rule.JhashExpression, StringComparison.Ordinal))
            .Select(rule => rule.JhashExpression)
            .ToList();

        var flows = await ns.RunInsideAsync(() => FlowGenerator.Generate(server, rules, udpClients, tcpClients));
        var conntrack = await ns.ExecAsync(
            ["conntrack", "-L", "-f", ipv4 ? "ipv4" : "ipv6", "-o", "extended"], null, cancellationToken);
        var marks = ConntrackMarks.Parse(conntrack);

        var notInConntrack = new List<KernelFlow>();
        var mismatches = new List<string>();
        var kernelBuckets = new HashSet<(HashRule, uint)>();
        foreach (var flow in flows)
        {
            var key = (flow.Rule.TransportKeyword, flow.Client.Address, (ushort)flow.Client.Port, flow.Rule.DestinationPort);
            if (!marks.TryGetValue(key, out var kernel))
            {
                notInConntrack.Add(flow);
                continue;
            }

            kernelBuckets.Add((flow.Rule, kernel));
            var model = FlowHash.Bucket(
                flow.Rule.Affinity, flow.Client.Address, (ushort)flow.Client.Port, flow.Rule.Seed, flow.Rule.BucketCount);
            if (kernel != (uint)model)
            {
                mismatches.Add($"{flow.Client} -> {flow.Rule.JhashExpression}: kernel {kernel}, model {model}");
            }
        }

        return new KernelHashReport(flows, rulesNotListedBack, notInConntrack, mismatches, kernelBuckets.Count, stopwatch.Elapsed);
    }

    private static string Ruleset(string family, IReadOnlyList<HashRule> rules) =>
        $$"""
        table {{family}} {{Table}} {
          chain output {
            type filter hook output priority 0; policy accept;
        {{string.Join('\n', rules.Select(rule => "    " + rule.ToNft()))}}
          }
        }

        """;
}
