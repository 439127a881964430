using System.Net;
using System.Text;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Control;
using OpenNlb.Core.Convergence;
using Xunit;

namespace OpenNlb.Core.Tests.Control;

public sealed class ControlParserTests
{
    private static (ControlCall? Call, string? Error) Parse(string line) => ControlParser.Parse(Encoding.UTF8.GetBytes(line));

    [Theory]
    [InlineData("""{"command":"start"}""", HostCommandKind.Start)]
    [InlineData("""{"command":"stop"}""", HostCommandKind.Stop)]
    [InlineData("""{"command":"suspend"}""", HostCommandKind.Suspend)]
    [InlineData("""{"command":"resume"}""", HostCommandKind.Resume)]
    [InlineData("""{"command":"drainstop"}""", HostCommandKind.DrainStop)]
    [InlineData("""{"command":"enable","rule":"web"}""", HostCommandKind.Enable)]
    [InlineData("""{"command":"disable","rule":"all"}""", HostCommandKind.Disable)]
    [InlineData("""{"command":"drain","rule":"web"}""", HostCommandKind.Drain)]
    [InlineData("""{"command":"drain","rule":"10.0.0.10:80"}""", HostCommandKind.Drain)]
    [InlineData("""{"command":"weight","rule":"web","weight":80}""", HostCommandKind.SetWeight)]
    public void ValidRequests_BecomeCommands(string line, HostCommandKind kind)
    {
        var (call, error) = Parse(line);
        Assert.Null(error);
        Assert.Equal(kind, call!.HostCommand!.Kind);
    }

    [Fact]
    public void RuleSelector_IsCarriedAsTyped_ForTheNodeToResolve()
    {
        Assert.Equal("[2001:db8::10]:443", Parse("""{"command":"disable","rule":"[2001:db8::10]:443"}""").Call!.HostCommand!.Rule);
    }

    [Theory]
    [InlineData("query")]
    [InlineData("display")]
    [InlineData("params")]
    public void Questions_AreCallsWithoutAHostCommand(string name)
    {
        var (call, error) = Parse($$"""{"command":"{{name}}"}""");
        Assert.Null(error);
        Assert.Equal(name, call!.Command);
        Assert.Null(call.HostCommand);
        Assert.Null(call.Flow);
    }

    [Fact]
    public void DrainStopTimeout_IsCarried()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), Parse("""{"command":"drainstop","timeoutSeconds":30}""").Call!.HostCommand!.Timeout);
    }

    [Fact]
    public void Owner_CarriesTheFlow()
    {
        var (call, error) = Parse("""{"command":"owner","client":"198.51.100.7:51234","vip":"10.0.0.10","port":80,"protocol":"udp"}""");
        Assert.Null(error);
        Assert.Equal(new OwnerRequest(IPAddress.Parse("198.51.100.7"), 51234, IPAddress.Parse("10.0.0.10"), 80, Protocol.Udp), call!.Flow);
    }

    [Theory]
    [InlineData("198.51.100.7", "198.51.100.7", 0)]
    [InlineData("198.51.100.7:51234", "198.51.100.7", 51234)]
    [InlineData("2001:db8::7", "2001:db8::7", 0)]
    [InlineData("[2001:db8::7]:51234", "2001:db8::7", 51234)]
    [InlineData("[2001:db8::7]", "2001:db8::7", 0)]
    public void OwnerClient_TakesAnAddressWithOrWithoutItsPort(string text, string address, int port)
    {
        var call = Parse($$"""{"command":"owner","client":"{{text}}","port":80}""").Call!;
        Assert.Equal(IPAddress.Parse(address), call.Flow!.Client);
        Assert.Equal(port, call.Flow.ClientPort);
        Assert.Null(call.Flow.Vip);
        Assert.Equal(Protocol.Tcp, call.Flow.Protocol);
    }

    [Theory]
    [InlineData("not json", "malformed request")]
    [InlineData("{}", "no \"command\"")]
    [InlineData("""{"command":"reboot"}""", "unknown command 'reboot'; one of query, display, params, owner")]
    [InlineData("""{"command":"enable"}""", "enable needs \"rule\"")]
    [InlineData("""{"command":"weight","rule":"web"}""", "weight needs \"rule\" and \"weight\"")]
    [InlineData("""{"command":"drainstop","timeoutSeconds":-1}""", "timeoutSeconds -1 is outside 0..86400")]
    [InlineData("""{"command":"start","weight":"x"}""", "malformed request")]
    [InlineData("""{"command":"owner","port":80}""", "owner needs \"client\"")]
    [InlineData("""{"command":"owner","client":"host.example","port":80}""", "\"client\" 'host.example' is not an address")]
    [InlineData("""{"command":"owner","client":"198.51.100.7:99999","port":80}""", "\"client\" '198.51.100.7:99999' is not an address")]
    [InlineData("""{"command":"owner","client":"198.51.100.7"}""", "owner needs \"port\"")]
    [InlineData("""{"command":"owner","client":"198.51.100.7","port":70000}""", "\"port\" 70000 is outside 0..65535")]
    [InlineData("""{"command":"owner","client":"198.51.100.7","port":80,"vip":"x"}""", "\"vip\" 'x' is not an IP address")]
    [InlineData("""{"command":"owner","client":"198.51.100.7","port":80,"protocol":"sctp"}""", "\"protocol\" 'sctp' is neither tcp nor udp")]
    [InlineData("""{"command":"owner","client":"198.51.100.7","port":true}""", "malformed request")]
    public void BadRequests_AreRefusedWithWhatIsWrong(string line, string expected)
    {
        var (call, error) = Parse(line);
        Assert.Null(call);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void OversizedRequest_IsRefusedBeforeParsing()
    {
        var (call, error) = Parse("{\"command\":\"start\",\"rule\":\"" + new string('a', 5000) + "\"}");
        Assert.Null(call);
        Assert.Contains("too large", error, StringComparison.Ordinal);
    }

    [Fact]
    public void RandomBytes_NeverThrow()
    {
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var bytes = new byte[random.Next(0, 200)];
            random.NextBytes(bytes);
            var (call, error) = ControlParser.Parse(bytes);
            // Random bytes are never a valid request (not even a query): exactly an error comes back.
            Assert.True(call is null && error is not null);
        }
    }

    [Theory]
    [InlineData("""{"command":"stop","node":2}""", 2, false)]
    [InlineData("""{"command":"query","cluster":true}""", null, true)]
    [InlineData("""{"command":"reload","cluster":true}""", null, true)]
    [InlineData("""{"command":"reload"}""", null, false)]
    public void NodeAndCluster_AreCarried(string line, int? node, bool cluster)
    {
        var (call, error) = Parse(line);
        Assert.Null(error);
        Assert.Equal(node, call!.Node);
        Assert.Equal(cluster, call.Cluster);
    }

    [Theory]
    [InlineData("""{"command":"stop","node":0}""", "node 0 is outside 1..64")]
    [InlineData("""{"command":"stop","node":65}""", "node 65 is outside 1..64")]
    [InlineData("""{"command":"stop","node":2,"cluster":true}""", "not both")]
    [InlineData("""{"command":"display","node":2}""", "display answers for the host asked directly")]
    [InlineData("""{"command":"owner","client":"198.51.100.7","port":80,"cluster":true}""", "owner answers for the host asked directly")]
    public void BadScopes_AreRefused_WithTheReason(string line, string reason)
    {
        var (call, error) = Parse(line);
        Assert.Null(call);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
