using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Control;
using OpenNlb.EndToEnd.Tests.Support;
using OpenNlb.Lab;
using OpenNlb.Linux.Processes;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.Cluster;

/// <summary>
/// The operator's commands as an operator runs them: the real `nlb` binary against real nlbd
/// processes of a two-host lab, answers read as the documented JSON (docs/cli.md) and checked
/// against the lab itself: the configuration file, the MAC on the wire, the host that answered a
/// flow, the kernel's verdicts after a rule is disabled by VIP:PORT.
/// </summary>
public sealed class CliCommandTests(CliLabFixture fixture) : IClassFixture<CliLabFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private LabHandle Lab => fixture.Lab ?? throw new InvalidOperationException("no lab");

    [Fact]
    public async Task Params_SayTheFileInEffect_ItsDigestAndFingerprint()
    {
        Requires.RootAndTools("nft");
        var answer = await JsonAsync(0, "params", "--lab", Lab.Name, "--host", "2");

        var p = answer.Params!;
        var path = Lab.Paths.Config(2);
        var config = ConfigLoader.Parse(await File.ReadAllTextAsync(path, Ct)).Config!;
        Assert.Equal(ControlResponse.CurrentSchemaVersion, answer.SchemaVersion);
        Assert.Equal(path, p.ConfigPath);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(path, Ct))), p.FileSha256);
        Assert.Equal(ConfigFingerprint.Of(config.Cluster).ToString("x16", System.Globalization.CultureInfo.InvariantCulture), p.Fingerprint);
        Assert.Equal(2, p.Host.Priority);
        Assert.Equal(["web", "echo", "sticky", "iperf"], p.Cluster.PortRules.Select(r => r.Name));

        var text = await RunAsync(0, "params", "--lab", Lab.Name, "--host", "2");
        Assert.Contains($"configuration   {path} (sha256 {p.FileSha256})", text, StringComparison.Ordinal);
        Assert.Contains("web     all  80     tcp       multiple   none", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Display_ShowsConfigurationStateEventsAndCounters()
    {
        Requires.RootAndTools("nft");

        // A command nlbd logs (event 1400) and that changes nothing: the newest event display must show.
        var enabled = await JsonAsync(0, "enable", "all", "--lab", Lab.Name, "--host", "1");
        var answer = await JsonAsync(0, "display", "--lab", Lab.Name, "--host", "1");

        Assert.Equal(Lab.Name, answer.Params!.Cluster.Name);
        Assert.Equal(Lab.Paths.Config(1), answer.Params.ConfigPath);
        Assert.Equal(1, answer.Status!.HostPriority);
        Assert.Contains(answer.Status.Peers, p => p.HostPriority == 2);
        Assert.True(answer.Status.Counters["heartbeats_received"] > 0);

        var events = answer.Events!;
        var listing = string.Join("\n", events.Select(e => $"{e.Time:O} {e.Id} {e.Name} {e.Level} {e.Text}"));
        Assert.InRange(events.Count, 1, 50);
        Assert.True(events.Zip(events.Skip(1)).All(p => p.First.Time <= p.Second.Time), listing);
        Assert.True(events.Last(e => e.Id == 1400) is { Name: "CommandDone", Level: "information" } last && last.Text == $"command Enable: {enabled.Message}", listing);

        // The first event stays until 50 newer ones push it out (a slow machine makes hosts flap).
        if (events.Count < 50)
        {
            Assert.True(events[0] is { Id: 1000, Name: "Starting" } && events[0].Text.Contains($"cluster '{Lab.Name}'", StringComparison.Ordinal), listing);
        }

        var text = await RunAsync(0, "display", "--lab", Lab.Name, "--host", "1");
        foreach (var section in new[] { "=== Configuration", "=== State", "=== Last ", "=== Counters", "host 1: ", "host 2: ", "heartbeats_received", $"  1400  command Enable: {enabled.Message}" })
        {
            Assert.Contains(section, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Owner_AskedOfEachHost_AgreesWithTheHostThatAnswersAnOpenConnection()
    {
        Requires.RootAndTools("nft", "conntrack");
        await LabConvergence.WaitAsync(Lab, [1, 2], Timeout, Ct);
        var client = Lab.ClientAddress(1);

        // A connection left open (no request yet): conntrack holds it where it was accepted.
        using var socket = Lab.OpenSocket("c1", SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(client, 0));
        var clientPort = ((IPEndPoint)socket.LocalEndPoint!).Port;
        await socket.ConnectAsync(new IPEndPoint(Lab.Vip, 80), Ct);

        var answers = new Dictionary<int, OwnerReportView>();
        for (var host = 1; host <= 2; host++)
        {
            var a = (await JsonAsync(0, "owner", $"{client}:{clientPort}", "--port", "80", "--lab", Lab.Name, "--host", $"{host}")).Owner!;
            answers[host] = new OwnerReportView(a.Owner!.Value, a.ThisHost!.Role, a.ThisHost.Connection, a.Why);
            Assert.Equal("web", a.Rule);
            Assert.Equal([1, 2], a.Members);
        }

        // Both hosts name the same owner, the one the pure model names; it owns the bucket and has
        // the connection, the other neither owns it nor has seen it.
        var owner = answers[1].Owner;
        Assert.Equal(owner, answers[2].Owner);
        Assert.Equal($"h{owner}", new LabModel(Lab, [1, 2]).OwnerOf("web", client, clientPort));
        var other = 3 - owner;
        Assert.Equal(("owns", "ESTABLISHED"), (answers[owner].Role, answers[owner].Connection));
        Assert.Equal(("none", null), (answers[other].Role, answers[other].Connection));
        Assert.Contains(answers[other].Why, w => w.StartsWith($"this host ({other}) neither owns nor keeps bucket", StringComparison.Ordinal));

        // And it is that host that answers on the connection.
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal($"h{owner}", await LabTraffic.RequestAsync(socket, deadline.Token));

        var text = await RunAsync(0, "owner", $"{client}:{clientPort}", "--port", "80", "--lab", Lab.Name, "--host", $"{owner}");
        Assert.Contains($"owner:   host {owner} (map epoch ", text, StringComparison.Ordinal);
        Assert.Contains("why:     bucket ", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Owner_OfAUdpFlow_ShowsTheConntrackEntryOnTheHostThatAnswered()
    {
        Requires.RootAndTools("nft", "conntrack");
        var client = Lab.ClientAddress(1);
        var (clientPort, answers) = await LabTraffic.UdpAsync(Lab, "c1", client, 16, TimeSpan.FromSeconds(1));
        var answered = int.Parse(Assert.Single(answers)[1..], System.Globalization.CultureInfo.InvariantCulture);

        var here = (await JsonAsync(0, "owner", $"{client}:{clientPort}", "--port", "7", "--proto", "udp", "--lab", Lab.Name, "--host", $"{answered}")).Owner!;
        Assert.Equal(answered, here.Owner);
        Assert.Equal(("owns", "udp", false), (here.ThisHost!.Role, here.ThisHost.Connection, here.ThisHost.ForeignFlow));

        var there = (await JsonAsync(0, "owner", $"{client}:{clientPort}", "--port", "7", "--proto", "udp", "--lab", Lab.Name, "--host", $"{3 - answered}")).Owner!;
        Assert.Equal(("none", null), (there.ThisHost!.Role, there.ThisHost.Connection));
    }

    [Fact]
    public async Task DisableByVipAndPort_TakesTheHostOutOfThatRule_EnableByPortBringsItBack()
    {
        Requires.RootAndTools("nft");
        var vipPort = $"{Lab.Vip}:80";
        try
        {
            var disabled = await JsonAsync(0, "disable", vipPort, "--lab", Lab.Name, "--host", "1");
            Assert.Equal("disabled web: its flows on this host are dropped", disabled.Message);
            Assert.Equal("disabled", disabled.Status!.Rules.Single(r => r.Name == "web").State);
            Assert.Equal(0, disabled.Status.BucketsOwned["web"]);

            // Once host 2 has taken every bucket of web, every new connection is its.
            await WaitAsync(async () => (await JsonAsync(0, "query", "--lab", Lab.Name, "--host", "2")).Status!.BucketsOwned["web"] == 16384);
            for (var i = 0; i < 10; i++)
            {
                Assert.Equal("h2", (await LabTraffic.HttpAsync(Lab, "c1", Lab.ClientAddress(1))).Host);
            }

            // The other rules were not touched.
            var query = await JsonAsync(0, "query", "--lab", Lab.Name, "--host", "1");
            Assert.All(query.Status!.Rules.Where(r => r.Name != "web"), r => Assert.Equal("enabled", r.State));

            // nlbd logged the command; display lists it.
            Assert.Contains((await JsonAsync(0, "display", "--lab", Lab.Name, "--host", "1")).Events!, e => e.Id == 1400 && e.Text.Contains("disabled web", StringComparison.Ordinal));
        }
        finally
        {
            var enabled = await JsonAsync(0, "enable", "80", "--lab", Lab.Name, "--host", "1");
            Assert.Equal("enabled web", enabled.Message);
        }

        await LabConvergence.WaitForMapAsync(Lab, new LabModel(Lab, [1, 2]), [1, 2], Timeout, Ct);
    }

    [Theory]
    [InlineData("192.0.2.100:81", "'192.0.2.100:81': no port rule covers port 81 on 192.0.2.100")]
    [InlineData("192.0.2.99:80", "'192.0.2.99:80': 192.0.2.99 is not a VIP of cluster")]
    [InlineData("wbe", "no port rule named 'wbe'; the rules are: web, echo, sticky, iperf")]
    [InlineData("192.0.2.100", "'192.0.2.100' is a VIP without a port")]
    public async Task SelectorMatchingNothing_IsRefused_NamingIt_AndChangesNothing(string selector, string error)
    {
        Requires.RootAndTools("nft");
        var before = (await JsonAsync(0, "query", "--lab", Lab.Name, "--host", "1")).Status!.Rules;

        var refused = await JsonAsync(1, "drain", selector, "--lab", Lab.Name, "--host", "1");
        Assert.False(refused.Ok);
        Assert.Contains(error, refused.Error, StringComparison.Ordinal);

        var text = await CommandRunner.RunAsync(Lab.Description.NlbPath, ["drain", selector, "--lab", Lab.Name, "--host", "1"], Timeout, cancellationToken: Ct);
        Assert.Equal(1, text.ExitCode);
        Assert.Contains(error, text.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, (await JsonAsync(0, "query", "--lab", Lab.Name, "--host", "1")).Status!.Rules);
    }

    [Fact]
    public async Task UnknownCommandOrMalformedRequest_OnTheSocket_GetsAnErrorNamingIt()
    {
        Requires.RootAndTools("nft");
        var unknown = ControlResponseOf(await Lab.ControlAsync(1, """{"command":"reboot"}""", Ct));
        Assert.Equal((false, 1), (unknown.Ok, unknown.SchemaVersion));
        Assert.StartsWith("unknown command 'reboot'; one of query, display, params, owner", unknown.Error, StringComparison.Ordinal);

        var malformed = ControlResponseOf(await Lab.ControlAsync(1, """{"command":"owner","client":"198.51.100.7:1","port":"x"}""", Ct));
        Assert.StartsWith("malformed request", malformed.Error, StringComparison.Ordinal);

        var bad = ControlResponseOf(await Lab.ControlAsync(1, """{"command":"owner","client":"nobody","port":80}""", Ct));
        Assert.Equal("owner: \"client\" 'nobody' is not an address or address:port", bad.Error);
    }

    [Fact]
    public async Task Usage_Errors_Exit2_WithoutTalkingToNlbd()
    {
        Requires.RootAndTools("nft");
        var missing = await CommandRunner.RunAsync(Lab.Description.NlbPath, ["drain", "--lab", Lab.Name, "--host", "1"], Timeout, cancellationToken: Ct);
        Assert.Equal(2, missing.ExitCode);
        var noHost = await CommandRunner.RunAsync(Lab.Description.NlbPath, ["query", "--lab", Lab.Name], Timeout, cancellationToken: Ct);
        Assert.Equal((2, "nlb: --lab needs --host N: the host whose nlbd to ask\n"), (noHost.ExitCode, noHost.StandardError));
    }

    [Fact]
    public async Task Ip2Mac_IsTheMacTheClusterInterfaceCarries()
    {
        Requires.RootAndTools("nft");
        var mac = (await JsonAsync(0, "ip2mac", Lab.Vip.ToString())).Mac!;

        // Unicast mode: every host's cluster interface takes the unicast cluster MAC.
        var link = await Lab.ExecAsync("h1", ["ip", "-j", "link", "show", "eth0"], Timeout, Ct);
        var address = JsonDocument.Parse(link.StandardOutput).RootElement[0].GetProperty("address").GetString();
        Assert.Equal(address, mac.Unicast);
        Assert.Equal("03" + mac.Unicast[2..], mac.Multicast);
    }

    private async Task WaitAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not within {Timeout.TotalSeconds} s");
            await Task.Delay(200, Ct);
        }
    }

    /// <summary>Runs nlb with --json, checks the exit code, and reads the answer as the documented schema.</summary>
    private async Task<ControlResponse> JsonAsync(int exitCode, params string[] arguments)
    {
        var result = await CommandRunner.RunAsync(Lab.Description.NlbPath, [.. arguments, "--json"], Timeout, cancellationToken: Ct);
        Assert.True(result.ExitCode == exitCode, $"nlb {string.Join(' ', arguments)} --json exited {result.ExitCode}: {result.StandardOutput}{result.StandardError}");
        return ControlResponseOf(result.StandardOutput);
    }

    private async Task<string> RunAsync(int exitCode, params string[] arguments)
    {
        var result = await CommandRunner.RunAsync(Lab.Description.NlbPath, arguments, Timeout, cancellationToken: Ct);
        Assert.True(result.ExitCode == exitCode, $"nlb {string.Join(' ', arguments)} exited {result.ExitCode}: {result.StandardOutput}{result.StandardError}");
        return result.StandardOutput;
    }

    private static ControlResponse ControlResponseOf(string json) =>
        JsonSerializer.Deserialize(json, ControlJsonContext.Default.ControlResponse) ?? throw new InvalidOperationException("null answer");

    private sealed record OwnerReportView(int Owner, string Role, string? Connection, IReadOnlyList<string> Why);
}

/// <summary>Two hosts, one client, real nlbd: lab "tc1", always torn down.</summary>
public sealed class CliLabFixture : IAsyncLifetime
{
    public const string Name = "tc1";

    public LabHandle? Lab { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (!Requires.CanRunLabs())
        {
            return;
        }

        await Labs.DownAsync(Name);
        Lab = await Labs.UpAsync(new LabOptions { Name = Name, Hosts = 2, Clients = 1 });
        // Generous: on a busy 2-core machine two hosts may take a while to agree; nothing here measures speed.
        await LabConvergence.WaitAsync(Lab, [1, 2], TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        if (Lab is not null)
        {
            await Lab.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
