using System.Net.Sockets;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Hashing;
using Xunit;

namespace OpenNlb.Core.Tests.Hashing;

public sealed class NftKeyExpressionTests
{
    // The text is what `nft list ruleset` prints back, so a renderer comparing its output with the
    // kernel's listing sees no difference.
    [Theory]
    [InlineData(Affinity.None, AddressFamily.InterNetwork, Protocol.Tcp, "ip saddr . tcp sport")]
    [InlineData(Affinity.None, AddressFamily.InterNetwork, Protocol.Udp, "ip saddr . udp sport")]
    [InlineData(Affinity.None, AddressFamily.InterNetworkV6, Protocol.Tcp, "ip6 saddr . tcp sport")]
    [InlineData(Affinity.None, AddressFamily.InterNetworkV6, Protocol.Udp, "ip6 saddr . udp sport")]
    [InlineData(Affinity.Single, AddressFamily.InterNetwork, Protocol.Tcp, "ip saddr")]
    [InlineData(Affinity.Single, AddressFamily.InterNetworkV6, Protocol.Udp, "ip6 saddr")]
    [InlineData(Affinity.Single, AddressFamily.InterNetwork, Protocol.Both, "ip saddr")]
    [InlineData(Affinity.Network, AddressFamily.InterNetwork, Protocol.Tcp, "ip saddr & 255.255.255.0")]
    [InlineData(Affinity.Network, AddressFamily.InterNetworkV6, Protocol.Udp, "ip6 saddr & ffff:ffff:ffff:ff00::")]
    [InlineData(Affinity.Network, AddressFamily.InterNetworkV6, Protocol.Both, "ip6 saddr & ffff:ffff:ffff:ff00::")]
    public void NftKeyExpression_RendersTheKeyOfTheAffinity(
        Affinity affinity, AddressFamily family, Protocol l4, string expected)
    {
        Assert.Equal(expected, FlowHash.NftKeyExpression(affinity, family, l4));
    }

    [Fact]
    public void NftKeyExpression_RejectsBothProtocols_WhenThePortIsHashed()
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => FlowHash.NftKeyExpression(Affinity.None, AddressFamily.InterNetwork, Protocol.Both));
    }

    [Fact]
    public void NftKeyExpression_RejectsOtherAddressFamilies()
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => FlowHash.NftKeyExpression(Affinity.Single, AddressFamily.Unix, Protocol.Tcp));
    }
}
