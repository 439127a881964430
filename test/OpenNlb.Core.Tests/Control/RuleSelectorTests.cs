using System.Net;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Control;
using Xunit;

namespace OpenNlb.Core.Tests.Control;

public sealed class RuleSelectorTests
{
    private static readonly IPAddress Vip1 = IPAddress.Parse("10.0.0.10");
    private static readonly IPAddress Vip2 = IPAddress.Parse("10.0.0.11");
    private static readonly IPAddress Vip6 = IPAddress.Parse("2001:db8::10");

    // 0 web: all VIPs 80/tcp; 1 web-b: VIP2 80/tcp (wins there); 2 dns-tcp, 3 dns-udp: all 53;
    // 4 high: all 1000-2000 both; 5 "8080": a rule named like a port; 6 tls6: the IPv6 VIP's 443.
    private static readonly ClusterConfig Cluster = new()
    {
        Name = "sel",
        Vips = [Vip1, Vip2, Vip6],
        PortRules =
        [
            new PortRule { Name = "web", Ports = new PortRange(80, 80), Protocol = Protocol.Tcp },
            new PortRule { Name = "web-b", Vip = Vip2, Ports = new PortRange(80, 80), Protocol = Protocol.Tcp },
            new PortRule { Name = "dns-tcp", Ports = new PortRange(53, 53), Protocol = Protocol.Tcp },
            new PortRule { Name = "dns-udp", Ports = new PortRange(53, 53), Protocol = Protocol.Udp },
            new PortRule { Name = "high", Ports = new PortRange(1000, 2000), Protocol = Protocol.Both },
            new PortRule { Name = "8080", Ports = new PortRange(9000, 9000), Protocol = Protocol.Tcp },
            new PortRule { Name = "tls6", Vip = Vip6, Ports = new PortRange(443, 443), Protocol = Protocol.Tcp },
        ],
    };

    [Theory]
    [InlineData("all", new[] { 0, 1, 2, 3, 4, 5, 6 })]
    [InlineData("web", new[] { 0 })]
    [InlineData("8080", new[] { 5 })] // the name wins over the port
    [InlineData("10.0.0.10:80", new[] { 0 })]
    [InlineData("10.0.0.11:80", new[] { 1 })] // the VIP's own rule before the all-VIPs one, as the kernel does
    [InlineData("10.0.0.10:53", new[] { 2, 3 })] // one rule per protocol
    [InlineData("10.0.0.10:1500", new[] { 4 })]
    [InlineData("[2001:db8::10]:443", new[] { 6 })]
    [InlineData("[10.0.0.10]:80", new[] { 0 })]
    [InlineData("80", new[] { 0, 1 })] // every rule whose range holds the port
    [InlineData("53", new[] { 2, 3 })]
    [InlineData("1999", new[] { 4 })]
    [InlineData("443", new[] { 6 })]
    public void Selector_MeansTheseRules(string selector, int[] expected)
    {
        var (rules, error) = RuleSelector.Resolve(Cluster, selector);
        Assert.Null(error);
        Assert.Equal(expected, rules);
    }

    [Fact]
    public void NoSelector_MeansAll()
    {
        Assert.Equal(7, RuleSelector.Resolve(Cluster, null).Rules.Count);
    }

    [Theory]
    [InlineData("wbe", "no port rule named 'wbe'; the rules are: web, web-b, dns-tcp, dns-udp, high, 8080, tls6")]
    [InlineData("10.0.0.12:80", "'10.0.0.12:80': 10.0.0.12 is not a VIP of cluster 'sel' (its VIPs: 10.0.0.10, 10.0.0.11, 2001:db8::10)")]
    [InlineData("10.0.0.10:443", "'10.0.0.10:443': no port rule covers port 443 on 10.0.0.10; the rules are: web (80/tcp), web-b (10.0.0.11:80/tcp)")]
    [InlineData("10.0.0.10:http", "'10.0.0.10:http': 'http' is not a port (0..65535)")]
    [InlineData("10.0.0.10:70000", "'10.0.0.10:70000': '70000' is not a port")]
    [InlineData("host:80", "'host:80': 'host' is not an IP address")]
    [InlineData("2001:db8::10:443", "write an IPv6 VIP in brackets with its port, like [2001:db8::10]:443")]
    [InlineData("[2001:db8::10]", "write an IPv6 VIP in brackets with its port")]
    [InlineData("10.0.0.10", "'10.0.0.10' is a VIP without a port: say VIP:PORT")]
    [InlineData("444", "no port rule covers port 444; the rules are: web (80/tcp)")]
    [InlineData("99999", "'99999' is not a port (0..65535) nor a port rule's name")]
    public void NothingMatching_IsRefused_NamingTheInput(string selector, string expected)
    {
        var (rules, error) = RuleSelector.Resolve(Cluster, selector);
        Assert.Empty(rules);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
