using System.Diagnostics;
using System.Globalization;
using System.Net;
using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;

namespace OpenNlb.Lab.Demo;

/// <summary>
/// `nlb demo`: a three-host cluster in the lab, real traffic checked flow by flow against the model,
/// a host lost and taken back, and the lab removed at the end whatever happens.
/// </summary>
public sealed class DemoRunner(TextWriter output, OperationMode mode)
{
    public const string LabName = "demo";
    private const int Hosts = 3;
    private static readonly IFormatProvider Inv = CultureInfo.InvariantCulture;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        await Labs.DownAsync(LabName, ct);
        Say($"OpenNLB demo: {Hosts} hosts share the VIP {AddressPlan.Vip} in {mode.ToString().ToLowerInvariant()} mode, with no load balancer in front.");
        Say($"Everything lives in network namespaces named onlb-{LabName}-*; they are removed at the end.\n");

        var clock = Stopwatch.StartNew();
        Step(1, "Building the lab: a switch (a Linux bridge that learns MACs), hosts h1 h2 h3 each running nlbd and a small service, clients c1 c2");
        await using var lab = await Labs.UpAsync(new LabOptions { Name = LabName, Hosts = Hosts, Clients = 2, ClientAddresses = 8, Mode = mode }, ct);
        Say($"    done in {clock.Elapsed.TotalSeconds:0.0} s");

        Step(2, $"Convergence: the hosts hear each other's heartbeats and divide {BucketAllocator.BucketCount} buckets per port rule");
        await DemoChecks.WaitConvergedAsync(lab, [1, 2, 3], ct);
        ShowHosts(lab);

        Step(3, "Traffic from the clients; every flow is checked against the model of the kernel's hash");
        var all = new LabModel(lab, [1, 2, 3]);
        await DemoChecks.TcpAsync(lab, all, 300, output, ct);
        await DemoChecks.UdpAsync(lab, all, 60, output, ct);
        await DemoChecks.PingAsync(lab, output, ct);
        await DemoChecks.StickyAsync(lab, all, output, ct);

        Step(4, "h2 loses its link, like a pulled cable; new connections that hash to h2's buckets are tried every 50 ms");
        var failover = await DemoChecks.FailoverAsync(lab, all, new LabModel(lab, [1, 3]), output, ct);
        Say(failover is { } f
            ? $"    failover: h1 and h3 serve all of h2's buckets {f.TotalMilliseconds:0} ms after the link went down (NLB needs about 5 s to notice, 8 s in all)"
            : "    failover: NOT seen within 5 s");
        await DemoChecks.TcpAsync(lab, new LabModel(lab, [1, 3]), 90, output, ct);

        Step(5, "h2's link comes back; it is heard again and takes back its share");
        clock.Restart();
        await lab.SetLinkUpAsync(2, ct);
        await DemoChecks.WaitConvergedAsync(lab, [1, 2, 3], ct);
        Say($"    converged with h1 h2 h3 after {clock.Elapsed.TotalMilliseconds:0} ms");
        await DemoChecks.TcpAsync(lab, all, 90, output, ct);

        Say("\nCleaning up: removing the lab.");
        return failover is null ? 1 : 0;
    }

    private void ShowHosts(LabHandle lab)
    {
        Say("    HOST  STATE              MEMBERS  BUCKETS OWNED (per port rule)");
        foreach (var host in lab.Hosts)
        {
            var s = lab.ReadStatus(host.HostPriority);
            Say(string.Create(Inv, $"    {host.Name,-5} {s?.State,-18} {string.Join(',', s?.LiveHosts ?? []),-8} {string.Join("  ", s?.BucketsOwned.Select(kv => $"{kv.Key}={kv.Value}") ?? [])}"));
        }
    }

    private void Step(int n, string what) => Say($"\n[{n}/5] {what}");

    private void Say(string line) => output.WriteLine(line);
}
