using System.Text;
using OpenNlb.Core.Control;
using OpenNlb.Core.Convergence;
using Xunit;

namespace OpenNlb.Core.Tests.Control;

public sealed class ControlParserTests
{
    private static (HostCommand? Command, string? Error) Parse(string line) => ControlParser.Parse(Encoding.UTF8.GetBytes(line));

    [Theory]
    [InlineData("""{"command":"start"}""", HostCommandKind.Start)]
    [InlineData("""{"command":"stop"}""", HostCommandKind.Stop)]
    [InlineData("""{"command":"suspend"}""", HostCommandKind.Suspend)]
    [InlineData("""{"command":"resume"}""", HostCommandKind.Resume)]
    [InlineData("""{"command":"drainstop"}""", HostCommandKind.DrainStop)]
    [InlineData("""{"command":"enable","rule":"web"}""", HostCommandKind.Enable)]
    [InlineData("""{"command":"disable","rule":"all"}""", HostCommandKind.Disable)]
    [InlineData("""{"command":"drain","rule":"web"}""", HostCommandKind.Drain)]
    [InlineData("""{"command":"weight","rule":"web","weight":80}""", HostCommandKind.SetWeight)]
    public void ValidRequests_BecomeCommands(string line, HostCommandKind kind)
    {
        var (command, error) = Parse(line);
        Assert.Null(error);
        Assert.Equal(kind, command!.Kind);
    }

    [Fact]
    public void Query_IsNoCommandAndNoError()
    {
        Assert.Equal((null, null), Parse("""{"command":"query"}"""));
    }

    [Fact]
    public void DrainStopTimeout_IsCarried()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), Parse("""{"command":"drainstop","timeoutSeconds":30}""").Command!.Timeout);
    }

    [Theory]
    [InlineData("not json", "malformed request")]
    [InlineData("{}", "no \"command\"")]
    [InlineData("""{"command":"reboot"}""", "unknown command 'reboot'")]
    [InlineData("""{"command":"enable"}""", "enable needs \"rule\"")]
    [InlineData("""{"command":"weight","rule":"web"}""", "weight needs \"rule\" and \"weight\"")]
    [InlineData("""{"command":"drainstop","timeoutSeconds":-1}""", "timeoutSeconds -1 is outside 0..86400")]
    [InlineData("""{"command":"start","weight":"x"}""", "malformed request")]
    public void BadRequests_AreRefusedWithWhatIsWrong(string line, string expected)
    {
        var (command, error) = Parse(line);
        Assert.Null(command);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void OversizedRequest_IsRefusedBeforeParsing()
    {
        var (command, error) = Parse("{\"command\":\"start\",\"rule\":\"" + new string('a', 5000) + "\"}");
        Assert.Null(command);
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
            var (command, error) = ControlParser.Parse(bytes);
            // Random bytes are never a valid request (not even a query): exactly an error comes back.
            Assert.True(command is null && error is not null);
        }
    }
}
