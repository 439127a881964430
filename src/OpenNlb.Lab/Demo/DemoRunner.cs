using System.Diagnostics;
using System.Globalization;
using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;

namespace OpenNlb.Lab.Demo;

/// <summary>
/// `nlb demo`: a three-host cluster in the lab, real traffic checked flow by flow against the model,
/// a host crashing under long-lived traffic (failover time, connections broken) and taken back, a
/// host drainstopped and started again, and the lab removed at the end whatever happens.
/// </summary>
public sealed class DemoRunner(TextWriter output, OperationMode mode, string labName = DemoRunner.DefaultLabName)
{
    public const string DefaultLabName = "demo";
    private const int Hosts = 3;
    private static readonly IFormatProvider Inv = CultureInfo.InvariantCulture;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        await Labs.DownAsync(labName, ct);
        Say($"OpenNLB demo: {Hosts} hosts share the VIP {AddressPlan.Vip} in {mode.ToString().ToLowerInvariant()} mode, with no load balancer in front.");
        Say($"Everything lives in network namespaces named onlb-{labName}-*; they are removed at the end.\n");

        var clock = Stopwatch.StartNew();
        Step(1, "Building the lab: a switch (a Linux bridge that learns MACs), hosts h1 h2 h3 each running nlbd and a small service, clients c1 c2");
        await using var lab = await Labs.UpAsync(new LabOptions { Name = labName, Hosts = Hosts, Clients = 2, ClientAddresses = 8, Mode = mode }, ct);
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

        Step(4, "200 TCP connections and 50 UDP flows speak to the VIP every ~150 ms; h2 dies: its nlbd is killed (kill -9) and its cable pulled at once");
        var failover = await DemoFlows.CrashAsync(lab, 2, [1, 2, 3], output, ct);
        await DemoChecks.TcpAsync(lab, new LabModel(lab, [1, 3]), 90, output, ct);

        Step(5, "h2 comes back (cable in, nlbd started) while fresh flows run; it takes back its share");
        await DemoFlows.RejoinAsync(lab, 2, [1, 2, 3], output, ct);

        Step(6, "h3 is drainstopped over its control socket while fresh flows run, then started again");
        await DemoFlows.DrainstopAsync(lab, 3, [1, 2, 3], output, ct);

        Step(7, "All three hosts serve again");
        await DemoChecks.WaitConvergedAsync(lab, [1, 2, 3], ct);
        ShowHosts(lab);
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

        Say("    (converged-default: converged, and the default host, which takes the traffic no port rule covers)");
    }

    private const int Steps = 7;

    private void Step(int n, string what) => Say($"\n[{n}/{Steps}] {what}");

    private void Say(string line) => output.WriteLine(line);
}
