using System.Net.Sockets;
using System.Text;
using OpenNlb.Lab;
using OpenNlb.Lab.Control;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.Lab;

/// <summary>
/// The lab's side of nlbd's control socket, against a stand-in server on a real Unix socket: one
/// line of JSON out, one line back, and the requests spelled as the protocol says.
/// </summary>
public sealed class ControlClientTests : IDisposable
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"tb-control-{Guid.NewGuid():N}.sock");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("query", """{"command":"query"}""")]
    [InlineData("start", """{"command":"start"}""")]
    [InlineData("drainstop", """{"command":"drainstop","timeoutSeconds":30}""")]
    [InlineData("weight", """{"command":"weight","rule":"web","weight":80}""")]
    [InlineData("disable", """{"command":"disable","rule":"web"}""")]
    public void Requests_AreSpelledAsTheProtocolSays(string command, string json)
    {
        var request = command switch
        {
            "query" => ControlRequest.Query,
            "start" => ControlRequest.Start,
            "drainstop" => ControlRequest.Drainstop(30),
            "weight" => ControlRequest.SetWeight("web", 80),
            _ => ControlRequest.Disable("web"),
        };
        Assert.Equal(json, request.ToJson());
    }

    [Fact]
    public async Task SendAsync_WritesOneLine_AndReturnsTheAnswerLine()
    {
        var server = ServeOnceAsync("""{"ok":true,"message":"draining","status":{"hostPriority":2,"state":"draining","liveHosts":[1,2,3],"defaultHost":1,"bucketsOwned":{"web":0},"convergences":4,"processId":7,"updatedAt":"2026-11-21T00:00:00Z","somethingNew":1}}""");

        var line = await ControlClient.SendAsync(path, ControlRequest.Drainstop(30).ToJson(), TimeSpan.FromSeconds(5), Ct);

        Assert.Equal("""{"command":"drainstop","timeoutSeconds":30}""" + "\n", await server);
        var response = ControlResponse.Parse(line);
        Assert.True(response.Ok);
        Assert.Equal("draining", response.Message);
        Assert.Equal("draining", response.State);
        Assert.Equal(0, response.HostStatus()!.BucketsOwned["web"]);
    }

    [Fact]
    public async Task ARefusal_IsParsedWithItsError()
    {
        var server = ServeOnceAsync("""{"ok":false,"error":"no port rule 'nope'"}""");

        var response = ControlResponse.Parse(await ControlClient.SendAsync(path, ControlRequest.Enable("nope").ToJson(), TimeSpan.FromSeconds(5), Ct));

        _ = await server;
        Assert.False(response.Ok);
        Assert.Equal("no port rule 'nope'", response.Error);
        Assert.Null(response.HostStatus());
    }

    [Fact]
    public async Task ASilentDaemon_TimesOut_AndNoDaemon_IsALabError()
    {
        using var listener = Listen();
        await Assert.ThrowsAsync<TimeoutException>(() => ControlClient.SendAsync(path, ControlRequest.Query.ToJson(), TimeSpan.FromMilliseconds(300), Ct));
        await Assert.ThrowsAsync<LabException>(() => ControlClient.SendAsync(path + ".absent", ControlRequest.Query.ToJson(), TimeSpan.FromSeconds(1), Ct));
    }

    public void Dispose() => File.Delete(path);

    private Socket Listen()
    {
        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(1);
        return listener;
    }

    /// <summary>Accepts one connection, reads up to the newline, answers, closes; returns what it read.</summary>
    private Task<string> ServeOnceAsync(string answer)
    {
        var listener = Listen();
        return Task.Run(async () =>
        {
            using (listener)
            {
                using var connection = await listener.AcceptAsync(Ct);
                var received = new StringBuilder();
                var buffer = new byte[256];
                while (!received.ToString().Contains('\n', StringComparison.Ordinal))
                {
                    var n = await connection.ReceiveAsync(buffer, SocketFlags.None, Ct);
                    if (n == 0)
                    {
                        break;
                    }

                    received.Append(Encoding.UTF8.GetString(buffer, 0, n));
                }

                _ = await connection.SendAsync(Encoding.UTF8.GetBytes(answer + "\n"), SocketFlags.None, Ct);
                return received.ToString();
            }
        });
    }
}
