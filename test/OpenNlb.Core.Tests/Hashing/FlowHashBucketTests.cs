using System.Net;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Hashing;
using Xunit;

namespace OpenNlb.Core.Tests.Hashing;

public sealed class FlowHashBucketTests
{
    private static readonly uint LabSeed = HashSeed.ForCluster("lab");

    // Expected buckets from the Python transcription in Lookup3Tests over the keys of FlowHashKeyTests,
    // seed 0xa51146d3 ("lab"), then (hash * n) >> 32.
    [Theory]
    [InlineData(Affinity.None, "192.0.2.7", 60, 38)]
    [InlineData(Affinity.None, "192.0.2.7", 2048, 1314)]
    [InlineData(Affinity.None, "192.0.2.7", 4096, 2629)]
    [InlineData(Affinity.Single, "192.0.2.7", 60, 55)]
    [InlineData(Affinity.Single, "192.0.2.7", 4096, 3775)]
    [InlineData(Affinity.Network, "192.0.2.7", 60, 46)]
    [InlineData(Affinity.Network, "192.0.2.7", 2048, 1576)]
    [InlineData(Affinity.None, "2001:db8:1234:5678::7", 4096, 2829)]
    [InlineData(Affinity.Single, "2001:db8:1234:5678::7", 2048, 1872)]
    [InlineData(Affinity.Network, "2001:db8:1234:5678::7", 60, 7)]
    public void Bucket_MatchesIndependentTranscription(Affinity affinity, string client, int bucketCount, int expected)
    {
        Assert.Equal(expected, FlowHash.Bucket(affinity, IPAddress.Parse(client), 51234, LabSeed, bucketCount));
    }

    [Theory]
    [InlineData(Affinity.Single)]
    [InlineData(Affinity.Network)]
    public void Bucket_IgnoresThePort_WhenAffinityIsNotNone(Affinity affinity)
    {
        var client = IPAddress.Parse("198.51.100.23");
        var first = FlowHash.Bucket(affinity, client, 1, LabSeed, 4096);
        for (var port = 2; port <= 1000; port++)
        {
            Assert.Equal(first, FlowHash.Bucket(affinity, client, (ushort)port, LabSeed, 4096));
        }
    }

    [Fact]
    public void Bucket_WithNetworkAffinity_IsTheSameAcrossTheSlash24()
    {
        var first = FlowHash.Bucket(Affinity.Network, IPAddress.Parse("203.0.113.0"), 80, LabSeed, 4096);
        for (var host = 1; host <= 255; host++)
        {
            var client = IPAddress.Parse($"203.0.113.{host}");
            Assert.Equal(first, FlowHash.Bucket(Affinity.Network, client, 80, LabSeed, 4096));
        }
    }

    [Fact]
    public void Bucket_WithNoneAffinity_DependsOnThePort()
    {
        var client = IPAddress.Parse("198.51.100.23");
        var buckets = new HashSet<int>();
        for (var port = 1024; port < 1024 + 200; port++)
        {
            buckets.Add(FlowHash.Bucket(Affinity.None, client, (ushort)port, LabSeed, 60));
        }

        // 200 ports over 60 buckets: a hash that ignored the port would give a single bucket.
        Assert.True(buckets.Count > 40, $"only {buckets.Count} buckets");
    }

    [Fact]
    public void Bucket_OfAMappedAddress_IsTheBucketOfTheIPv4Address()
    {
        var v4 = IPAddress.Parse("192.0.2.99");
        Assert.Equal(
            FlowHash.Bucket(Affinity.None, v4, 4242, LabSeed, 2048),
            FlowHash.Bucket(Affinity.None, v4.MapToIPv6(), 4242, LabSeed, 2048));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Bucket_RejectsANonPositiveBucketCount(int bucketCount)
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => FlowHash.Bucket(Affinity.Single, IPAddress.Loopback, 80, LabSeed, bucketCount));
    }
}
