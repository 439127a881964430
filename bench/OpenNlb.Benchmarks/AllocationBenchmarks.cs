using System.Net;
using BenchmarkDotNet.Attributes;
using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;

namespace OpenNlb.Benchmarks;

/// <summary>
/// Allocate for a cluster with two multiple-host rules (one equal, one with random weights) and a
/// single-host rule, at 8, 32 and 64 live hosts. The baseline is the obvious stateless scheme on
/// the same rules: every (host, bucket) pair sorted by rendezvous key, each bucket to the first
/// host with quota left, remainders to the best host priorities.
/// </summary>
[MemoryDiagnoser]
public class AllocationBenchmarks
{
    private ClusterConfig cluster = null!;
    private Member[] live = [];

    [Params(8, 32, 64)]
    public int Hosts { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        cluster = new ClusterConfig
        {
            Name = "bench",
            Vips = [IPAddress.Parse("192.0.2.100")],
            PortRules =
            [
                new PortRule { Name = "web", Ports = new PortRange(80, 80) },
                new PortRule { Name = "api", Ports = new PortRange(8443, 8443) },
                new PortRule { Name = "admin", Ports = new PortRange(22, 22), Filtering = FilteringMode.Single },
            ],
        };
        var random = new Random(1);
        live = Enumerable.Range(1, 64)
            .OrderBy(_ => random.Next())
            .Take(Hosts)
            .Select(id => new Member(id, [new MemberRule(null, id), new MemberRule(random.Next(1, 101), id), new MemberRule(null, id)]))
            .ToArray();
    }

    [Benchmark(Baseline = true)]
    public int NaiveGreedy()
    {
        var owned = 0;
        for (var rule = 0; rule < 2; rule++)
        {
            owned += NaiveRendezvous.Allocate(live, rule, BucketAllocator.BucketCount)[0];
        }

        return owned;
    }

    [Benchmark]
    public ClusterMap Allocate() => BucketAllocator.Allocate(cluster, live);

    /// <summary>The reference scheme: sort all pairs, fixed quotas with remainders by priority.</summary>
    private static class NaiveRendezvous
    {
        public static byte[] Allocate(Member[] live, int rule, int bucketCount)
        {
            var hosts = live.OrderBy(m => m.Priority).ToArray();
            var weights = hosts.Select(m => m.Rules[rule].EffectiveLoadWeight).ToArray();
            long total = weights.Sum();
            var quota = new int[hosts.Length];
            var left = bucketCount;
            for (var i = 0; i < hosts.Length; i++)
            {
                quota[i] = (int)(bucketCount * weights[i] / total);
                left -= quota[i];
            }

            for (var i = 0; left > 0; i++, left--)
            {
                quota[i]++;
            }

            var pairs = new ulong[hosts.Length * bucketCount];
            for (var i = 0; i < hosts.Length; i++)
            {
                var key = RendezvousHash.HostKey(hosts[i].Priority);
                var reciprocal = (1UL << 32) / (ulong)weights[i];
                for (var b = 0; b < bucketCount; b++)
                {
                    var k = RendezvousHash.Draw(key, b) * reciprocal;
                    pairs[(i * bucketCount) + b] = (k >> 20 << 20) | ((ulong)b << 6) | (uint)i;
                }
            }

            Array.Sort(pairs);
            var owners = new byte[bucketCount];
            var counts = new int[hosts.Length];
            foreach (var pair in pairs)
            {
                var b = (int)(pair >> 6) & 0x3FFF;
                var i = (int)(pair & 63);
                if (owners[b] == 0 && counts[i] < quota[i])
                {
                    owners[b] = (byte)hosts[i].Priority;
                    counts[i]++;
                }
            }

            return owners;
        }
    }
}
