using System.Net;
using OpenNlb.Core.Control;
using Xunit;

namespace OpenNlb.Core.Tests.Control;

public sealed class MacReportTests
{
    [Fact]
    public void Ip2Mac_PutsTheAddressAfter02bfAnd03bf()
    {
        var (report, error) = MacReport.Of(IPAddress.Parse("10.0.0.10"));
        Assert.Null(error);
        Assert.Equal(new MacReport("10.0.0.10", "02:bf:0a:00:00:0a", "03:bf:0a:00:00:0a"), report);
    }

    [Fact]
    public void Ip2Mac_OfAnIPv4MappedAddress_IsThatOfTheIPv4Address()
    {
        Assert.Equal("02:bf:c0:00:02:64", MacReport.Of(IPAddress.Parse("::ffff:192.0.2.100")).Report!.Unicast);
    }

    [Fact]
    public void Ip2Mac_OfAnIPv6Address_IsRefusedSayingWhy()
    {
        var (report, error) = MacReport.Of(IPAddress.Parse("2001:db8::10"));
        Assert.Null(report);
        Assert.StartsWith("2001:db8::10 is IPv6: the cluster MAC is made of an IPv4 address's 4 bytes", error, StringComparison.Ordinal);
    }
}
