using System.Net;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Hashing;
using Xunit;

namespace OpenNlb.Core.Tests.Hashing;

public sealed class FlowHashKeyTests
{
    [Theory]
    [InlineData(Affinity.None, "192.0.2.7", "c0000207c8220000")]
    [InlineData(Affinity.Single, "192.0.2.7", "c0000207")]
    [InlineData(Affinity.Network, "192.0.2.7", "c0000200")]
    [InlineData(Affinity.Network, "198.51.100.255", "c6336400")]
    [InlineData(Affinity.None, "::ffff:192.0.2.7", "c0000207c8220000")]
    [InlineData(Affinity.Single, "::ffff:192.0.2.7", "c0000207")]
    [InlineData(Affinity.None, "2001:db8:1234:5678::7", "20010db8123456780000000000000007c8220000")]
    [InlineData(Affinity.Single, "2001:db8:1234:5678::7", "20010db8123456780000000000000007")]
    [InlineData(Affinity.Network, "2001:db8:1234:56ff:ffff::7", "20010db8123456000000000000000000")]
    public void WriteKey_WritesTheBytesTheKernelHashes(Affinity affinity, string client, string expectedHex)
    {
        // Port 51234 = 0xc822, in network order, then the 2 bytes that pad it to a 32-bit register.
        Span<byte> key = stackalloc byte[FlowHash.MaxKeyLength];
        key.Fill(0xAA);
        var length = FlowHash.WriteKey(affinity, IPAddress.Parse(client), 51234, key);
        Assert.Equal(expectedHex, Convert.ToHexStringLower(key[..length]));
    }

    [Fact]
    public void WriteKey_LeavesBytesAfterTheKeyAlone()
    {
        Span<byte> key = stackalloc byte[FlowHash.MaxKeyLength];
        key.Fill(0xAA);
        var length = FlowHash.WriteKey(Affinity.None, IPAddress.Parse("192.0.2.7"), 1, key);
        Assert.Equal(8, length);
        Assert.True(key[length..].IndexOfAnyExcept((byte)0xAA) < 0);
    }

    [Theory]
    [InlineData(Affinity.None, "192.0.2.7", 7)]
    [InlineData(Affinity.Single, "192.0.2.7", 3)]
    [InlineData(Affinity.None, "2001:db8::7", 19)]
    [InlineData(Affinity.Network, "2001:db8::7", 15)]
    public void WriteKey_RejectsAShortDestination(Affinity affinity, string client, int destinationLength)
    {
        var destination = new byte[destinationLength];
        Assert.Throws<ArgumentException>(
            () => FlowHash.WriteKey(affinity, IPAddress.Parse(client), 80, destination));
    }

    [Fact]
    public void WriteKey_RejectsAnUnknownAffinity()
    {
        var destination = new byte[FlowHash.MaxKeyLength];
        Assert.Throws<ArgumentOutOfRangeException>(
            () => FlowHash.WriteKey((Affinity)7, IPAddress.Loopback, 80, destination));
    }
}
