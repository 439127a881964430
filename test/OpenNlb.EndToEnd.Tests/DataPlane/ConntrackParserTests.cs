using System.Net;
using OpenNlb.Core.Configuration;
using OpenNlb.Linux.Conntrack;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.DataPlane;

/// <summary>The conntrack(8) listing parser, on output captured from conntrack-tools 1.4.7 on kernel 6.18 (no root needed).</summary>
public sealed class ConntrackParserTests
{
    // `conntrack -L -d 10.9.0.1` after a long TCP connection, a closed one, two UDP flows (one
    // answered), a ping; the summary line goes to stderr.
    private const string Listing = """
        udp      17 29 src=198.51.100.7 dst=10.9.0.1 sport=53000 dport=7 [UNREPLIED] src=10.9.0.1 dst=198.51.100.7 sport=7 dport=53000 mark=0 use=1
        udp      17 25 src=10.9.0.2 dst=10.9.0.1 sport=42001 dport=7777 [UNREPLIED] src=10.9.0.1 dst=10.9.0.2 sport=7777 dport=42001 mark=0 use=1
        tcp      6 431995 ESTABLISHED src=10.9.0.2 dst=10.9.0.1 sport=41000 dport=9000 src=10.9.0.1 dst=10.9.0.2 sport=9000 dport=41000 [ASSURED] mark=0 use=1
        icmp     1 29 src=10.9.0.2 dst=10.9.0.1 type=8 code=0 id=29566 src=10.9.0.1 dst=10.9.0.2 type=0 code=0 id=29566 mark=0 use=1
        tcp      6 119 TIME_WAIT src=10.9.0.2 dst=10.9.0.1 sport=41002 dport=9000 src=10.9.0.1 dst=10.9.0.2 sport=9000 dport=41002 [ASSURED] mark=0 use=1
        udp      17 25 src=10.9.0.2 dst=10.9.0.1 sport=42000 dport=7 src=10.9.0.1 dst=10.9.0.2 sport=7 dport=42000 mark=0 use=1

        """;

    private static readonly IPAddress Vip = IPAddress.Parse("10.9.0.1");
    private static readonly IPAddress Client = IPAddress.Parse("10.9.0.2");

    [Fact]
    public void Listing_GivesTcpAndUdpEntries_InTheOriginalDirection()
    {
        var entries = ConntrackParser.Parse(Listing);

        Assert.Equal(
            [
                new ConntrackEntry(Protocol.Udp, IPAddress.Parse("198.51.100.7"), 53000, Vip, 7, null, TimeSpan.FromSeconds(29)),
                new ConntrackEntry(Protocol.Udp, Client, 42001, Vip, 7777, null, TimeSpan.FromSeconds(25)),
                new ConntrackEntry(Protocol.Tcp, Client, 41000, Vip, 9000, "ESTABLISHED", TimeSpan.FromSeconds(431995)),
                new ConntrackEntry(Protocol.Tcp, Client, 41002, Vip, 9000, "TIME_WAIT", TimeSpan.FromSeconds(119)),
                new ConntrackEntry(Protocol.Udp, Client, 42000, Vip, 7, null, TimeSpan.FromSeconds(25)),
            ],
            entries);
        Assert.Equal([false, true], entries.Where(e => e.Protocol == Protocol.Tcp).Select(e => e.IsClosed));
    }

    [Fact]
    public void ExtendedOutput_AndZones_AreRead()
    {
        // `conntrack -L -o extended` prefixes the family; zone= appears in zoned entries.
        var entry = ConntrackParser.ParseLine(
            "ipv4     2 tcp      6 431998 ESTABLISHED src=10.9.0.2 dst=10.9.0.1 sport=41000 dport=9000 src=10.9.0.1 dst=10.9.0.2 sport=9000 dport=41000 [ASSURED] mark=0 zone=3 use=1");

        Assert.Equal(new ConntrackEntry(Protocol.Tcp, Client, 41000, Vip, 9000, "ESTABLISHED", TimeSpan.FromSeconds(431998)), entry);
    }

    [Theory]
    [InlineData("")]
    [InlineData("conntrack v1.4.7 (conntrack-tools): 6 flow entries have been shown.")]
    [InlineData("icmp     1 29 src=10.9.0.2 dst=10.9.0.1 type=8 code=0 id=29566 src=10.9.0.1 dst=10.9.0.2 type=0 code=0 id=29566 mark=0 use=1")]
    [InlineData("tcp      6 x ESTABLISHED src=10.9.0.2 dst=10.9.0.1 sport=41000 dport=9000")]
    [InlineData("tcp      6 10 ESTABLISHED src=10.9.0.2 dst=10.9.0.1 sport=41000")]
    [InlineData("udp      17 10 src=10.9.0.2 dst=10.9.0.1 sport=70000 dport=7")]
    [InlineData("udp      17 10 src=nonsense dst=10.9.0.1 sport=1 dport=7")]
    [InlineData("tcp")]
    public void LinesItCannotRead_AreSkipped(string line) => Assert.Null(ConntrackParser.ParseLine(line));
}
