using System.Net;
using OpenNlb.EndToEnd.Tests.Support;
using OpenNlb.Lab;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.Cluster;

/// <summary>
/// Real traffic from real clients through the real kernel filter programmed by real nlbd processes.
/// Each flow is checked against the pure model: the host that answered must be the one that owns
/// the flow's bucket.
/// </summary>
public abstract class ClusterTrafficTests(LabFixture fixture)
{
    private LabHandle Lab => fixture.Lab ?? throw new InvalidOperationException("no lab");

    private IEnumerable<(string Node, IPAddress Source)> Sources() =>
        Lab.Clients.SelectMany(c => new[] { c.Address!.Value.Address }.Concat(c.ExtraAddresses).Select(a => (c.Name, a)));

    [Fact]
    public async Task TcpConnections_EachAnsweredByItsBucketOwner_AndEveryHostServes()
    {
        Requires.RootAndTools("nft");
        var model = new LabModel(Lab, Enumerable.Range(1, LabFixture.HostCount));
        var sources = Sources().ToList();
        var flows = await Parallel300(i => LabTraffic.HttpAsync(Lab, sources[i % sources.Count].Node, sources[i % sources.Count].Source));

        var wrong = flows.Where(f => f.Result.Host != model.OwnerOf("web", f.Source, f.Result.ClientPort)).ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} of 300 connections answered by a host that does not own their bucket, e.g. {wrong.FirstOrDefault()}");
        var perHost = flows.GroupBy(f => f.Result.Host).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(LabFixture.HostCount, perHost.Count);

        async Task<List<(IPAddress Source, (int ClientPort, string Host) Result)>> Parallel300(Func<int, Task<(int, string)>> connect)
        {
            var results = new List<(IPAddress, (int, string))>();
            for (var batch = 0; batch < 300; batch += 20)
            {
                var tasks = Enumerable.Range(batch, 20).Select(async i => (sources[i % sources.Count].Source, await connect(i)));
                results.AddRange(await Task.WhenAll(tasks));
            }

            return results;
        }
    }

    [Fact]
    public async Task FragmentedUdpDatagrams_AreAnsweredExactlyOnce_ByTheirBucketOwner()
    {
        Requires.RootAndTools("nft");
        var model = new LabModel(Lab, Enumerable.Range(1, LabFixture.HostCount));
        var sources = Sources().ToList();
        var outcomes = new List<(IPAddress Source, int Port, List<string> Answers)>();
        for (var batch = 0; batch < 100; batch += 25)
        {
            var tasks = Enumerable.Range(batch, 25).Select(async i =>
            {
                var (node, source) = sources[i % sources.Count];
                var (port, answers) = await LabTraffic.UdpAsync(Lab, node, source, size: 4000, listen: TimeSpan.FromMilliseconds(700));
                return (source, port, answers);
            });
            outcomes.AddRange(await Task.WhenAll(tasks));
        }

        var notOnce = outcomes.Where(o => o.Answers.Count != 1).ToList();
        Assert.True(notOnce.Count == 0, $"{notOnce.Count} of 100 datagrams not answered exactly once: {string.Join("; ", notOnce.Take(5).Select(o => $"{o.Source}:{o.Port} -> [{string.Join(',', o.Answers)}]"))}");
        var wrong = outcomes.Where(o => o.Answers[0] != model.OwnerOf("echo", o.Source, o.Port)).ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} of 100 datagrams answered by a host that does not own their bucket");
        Assert.Equal(LabFixture.HostCount, outcomes.Select(o => o.Answers[0]).Distinct().Count());
    }

    [Fact]
    public async Task LargePing_ToTheVip_HasNoDuplicateAndNoLoss()
    {
        Requires.RootAndTools("nft", "ping");
        var r = await Lab.ExecAsync("c1", ["ping", "-c", "20", "-i", "0.05", "-W", "2", "-s", "3000", Lab.Vip.ToString()], TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);
        Assert.True(r.ExitCode == 0, r.StandardOutput + r.StandardError);
        Assert.Contains("20 packets transmitted, 20 received", r.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("DUP!", r.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SingleAffinity_KeepsEveryConnectionOfAClientOnOneHost()
    {
        Requires.RootAndTools("nft");
        var model = new LabModel(Lab, Enumerable.Range(1, LabFixture.HostCount));
        var hostsPerClient = new Dictionary<IPAddress, HashSet<string>>();
        foreach (var (node, source) in Sources())
        {
            var flows = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => LabTraffic.HttpAsync(Lab, node, source, port: 8080)));
            hostsPerClient[source] = flows.Select(f => f.Host).ToHashSet();
            Assert.Equal(model.OwnerOf("sticky", source, 0), Assert.Single(hostsPerClient[source]));
        }

        // And different clients do land on different hosts: the rule balances clients, not connections.
        Assert.True(hostsPerClient.Values.SelectMany(h => h).Distinct().Count() > 1);
    }
}

[Collection("lab")]
public sealed class UnicastClusterTrafficTests(UnicastLab lab) : ClusterTrafficTests(lab), IClassFixture<UnicastLab>;

[Collection("lab")]
public sealed class MulticastClusterTrafficTests(MulticastLab lab) : ClusterTrafficTests(lab), IClassFixture<MulticastLab>;
