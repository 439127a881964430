using System.Buffers.Binary;
using System.Net;
using BenchmarkDotNet.Attributes;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Hashing;

namespace OpenNlb.Benchmarks;

/// <summary>
/// The cost of asking the model which bucket a flow is in (the daemon does it per connection it
/// counts and per `nlb` query), against the runtime's own hash of the same fields as a yardstick.
/// Each benchmark walks 1,024 distinct IPv4 clients so that one input cannot flatter the branches.
/// </summary>
[MemoryDiagnoser]
public class HashBenchmarks
{
    private const int Clients = 1024;
    private const int BucketCount = 4096;

    private readonly IPAddress[] _addresses = new IPAddress[Clients];
    private readonly ushort[] _ports = new ushort[Clients];
    private readonly uint _seed = HashSeed.ForCluster("lab");

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(7);
        for (var i = 0; i < Clients; i++)
        {
            _addresses[i] = new IPAddress([198, 51, (byte)random.Next(256), (byte)random.Next(1, 255)]);
            _ports[i] = (ushort)random.Next(1024, 65536);
        }
    }

    /// <summary>Same address extraction and scaling, with System.HashCode (xxHash32, per-process seed).</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Clients)]
    public int HashCodeCombine()
    {
        var sum = 0;
        Span<byte> address = stackalloc byte[16];
        for (var i = 0; i < Clients; i++)
        {
            _addresses[i].TryWriteBytes(address, out _);
            var hash = HashCode.Combine(BinaryPrimitives.ReadUInt32BigEndian(address), _ports[i]);
            sum += (int)ReciprocalScale.Scale((uint)hash, BucketCount);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Clients)]
    public int BucketAffinityNone()
    {
        var sum = 0;
        for (var i = 0; i < Clients; i++)
        {
            sum += FlowHash.Bucket(Affinity.None, _addresses[i], _ports[i], _seed, BucketCount);
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Clients)]
    public int BucketAffinitySingle()
    {
        var sum = 0;
        for (var i = 0; i < Clients; i++)
        {
            sum += FlowHash.Bucket(Affinity.Single, _addresses[i], _ports[i], _seed, BucketCount);
        }

        return sum;
    }
}
