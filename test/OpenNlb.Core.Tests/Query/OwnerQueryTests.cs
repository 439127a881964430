using System.Net;
using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Hashing;
using OpenNlb.Core.Query;
using Xunit;

namespace OpenNlb.Core.Tests.Query;

public sealed class OwnerQueryTests
{
    private static readonly IPAddress Vip1 = IPAddress.Parse("192.0.2.100");
    private static readonly IPAddress Vip2 = IPAddress.Parse("192.0.2.101");
    private static readonly IPAddress Client = IPAddress.Parse("198.51.100.7");

    private static readonly ClusterConfig Cluster = new()
    {
        Name = "q",
        Vips = [Vip1, Vip2],
        PortRules =
        [
            new PortRule { Name = "web", Ports = new PortRange(80, 80), Protocol = Protocol.Tcp, Affinity = Affinity.None },
            new PortRule { Name = "web2", Vip = Vip2, Ports = new PortRange(80, 80), Protocol = Protocol.Tcp, Filtering = FilteringMode.Single },
            new PortRule { Name = "off", Ports = new PortRange(9000, 9100), Protocol = Protocol.Both, Filtering = FilteringMode.Disabled },
        ],
    };

    private static readonly IReadOnlyList<Member> Live =
        [new Member(2, [new(null, 2), new(null, 9), new(null, 2)]), new Member(5, [new(null, 5), new(null, 3), new(null, 5)])];

    private static readonly ClusterMap Map = BucketAllocator.Allocate(Cluster, Live);

    [Fact]
    public void MultipleHostRule_AnswersTheBucketsOwner()
    {
        var answer = OwnerQuery.Explain(Cluster, Map, new FlowQuery(Client, 51234, Vip1, 80, Protocol.Tcp));
        var bucket = FlowHash.Bucket(Affinity.None, Client, 51234, HashSeed.ForCluster("q"), BucketAllocator.BucketCount);

        Assert.Equal("web", answer.RuleName);
        Assert.Equal(bucket, answer.Bucket);
        Assert.Equal(Map.Rules[0].OwnerOf(bucket), answer.Owner);
        Assert.Contains("jhash ip saddr . tcp sport", answer.HashExpression, StringComparison.Ordinal);
    }

    [Fact]
    public void RuleForOneVip_TakesPrecedenceOverTheAllVipsRule()
    {
        var answer = OwnerQuery.Explain(Cluster, Map, new FlowQuery(Client, 51234, Vip2, 80, Protocol.Tcp));

        Assert.Equal("web2", answer.RuleName);
        Assert.Equal(5, answer.Owner); // handling priority 3 beats 9
    }

    [Fact]
    public void UncoveredTraffic_GoesToTheDefaultHost()
    {
        var answer = OwnerQuery.Explain(Cluster, Map, new FlowQuery(Client, 1, Vip1, 443, Protocol.Tcp));

        Assert.Null(answer.RuleName);
        Assert.Equal(2, answer.Owner);
    }

    [Fact]
    public void DisabledRule_HasNoOwner_AndOtherAddressesAreNotFiltered()
    {
        Assert.Null(OwnerQuery.Explain(Cluster, Map, new FlowQuery(Client, 1, Vip1, 9050, Protocol.Udp)).Owner);
        Assert.Null(OwnerQuery.Explain(Cluster, Map, new FlowQuery(Client, 1, IPAddress.Parse("192.0.2.7"), 80, Protocol.Tcp)).Owner);
    }
}
