using System.Text.Json;
using OpenNlb.Lab;
using OpenNlb.Lab.Model;
using OpenNlb.Lab.Processes;
using OpenNlb.Linux.Processes;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.Lab;

[Collection("lab")]
public sealed class NoNlbdLabTests(NoNlbdLabFixture fixture) : IClassFixture<NoNlbdLabFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private LabHandle Lab
    {
        get
        {
            LabPrerequisites.SkipUnlessLabCanRun();
            return fixture.Lab!;
        }
    }

    [Fact]
    public async Task Curl_FromEachClient_GetsEachHostsName_OnItsDip()
    {
        var lab = Lab;
        LabPrerequisites.SkipUnlessLabCanRun("curl");
        foreach (var client in lab.Clients)
        {
            foreach (var host in lab.Hosts)
            {
                var result = await lab.ExecAsync(client.Name, ["curl", "-sS", "-m", "5", $"http://{host.Address!.Value.Address}/"], Timeout, TestContext.Current.CancellationToken);
                Assert.Equal(0, result.ExitCode);
                Assert.Equal(host.Name + "\n", result.StandardOutput);
            }
        }
    }

    [Fact]
    public async Task Curl_FromExtraAddressesOnBothNetworks_GetsTheHostsName()
    {
        var lab = Lab;
        LabPrerequisites.SkipUnlessLabCanRun("curl");
        var client = lab.Client(2);
        Assert.Equal(["198.51.100.2", "203.0.113.2"], client.ExtraAddresses.Select(a => a.ToString()));
        foreach (var source in client.ExtraAddresses)
        {
            var result = await lab.ExecAsync(client.Name, ["curl", "-sS", "-m", "5", "--interface", source.ToString(), $"http://{lab.HostDip(1)}/"], Timeout, TestContext.Current.CancellationToken);
            Assert.Equal(0, result.ExitCode);
            Assert.Equal("h1\n", result.StandardOutput);
        }
    }

    [Fact]
    public async Task FragmentedUdpDatagram_ToADip_IsAnsweredWithTheHostsName()
    {
        var lab = Lab;
        LabPrerequisites.SkipUnlessLabCanRun("socat");
        foreach (var host in lab.Hosts)
        {
            // 4,000 bytes: three fragments on a 1,500-byte MTU. socat connects its socket, so it
            // only takes an answer that comes from the DIP it sent to.
            var script = $"head -c 4000 /dev/zero | tr '\\0' x | socat -t 3 - UDP:{host.Address!.Value.Address}:7";
            var result = await lab.ExecAsync("c1", ["sh", "-c", script], Timeout, TestContext.Current.CancellationToken);
            Assert.Equal(0, result.ExitCode);
            Assert.Equal(host.Name + "\n", result.StandardOutput);
        }
    }

    [Fact]
    public async Task UdpAnswer_ToADatagramForASecondLocalAddress_ComesFromThatAddress()
    {
        var lab = Lab;
        var extra = "192.0.2.99";
        var added = await lab.ExecAsync("h2", ["ip", "addr", "add", $"{extra}/32", "dev", "eth0"], Timeout, TestContext.Current.CancellationToken);
        Assert.Equal(0, added.ExitCode);
        try
        {
            // As with a VIP: bound to 0.0.0.0, the service must answer from the address asked,
            // not from the DIP; the probe's socket is connected and would drop anything else.
            var answer = await lab.UdpAskAsync("c1", System.Net.IPAddress.Parse(extra), 4000, cancellationToken: TestContext.Current.CancellationToken);
            Assert.Equal("h2", answer);
            Assert.Equal("h2", await lab.HttpGetAsync("c1", System.Net.IPAddress.Parse(extra), cancellationToken: TestContext.Current.CancellationToken));
        }
        finally
        {
            _ = await lab.ExecAsync("h2", ["ip", "addr", "del", $"{extra}/32", "dev", "eth0"], Timeout, CancellationToken.None);
        }
    }

    [Fact]
    public async Task NlbExec_PassesExitCodeAndOutputThrough()
    {
        var lab = Lab;
        var result = await CommandRunner.RunAsync(
            lab.Description.NlbPath,
            ["lab", "exec", "--name", lab.Name, "c2", "--", "sh", "-c", "ip -4 -o addr show dev eth0 scope global | head -1; echo oops >&2; exit 3"],
            Timeout,
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(3, result.ExitCode);
        Assert.Contains("192.0.2.202/24", result.StandardOutput, StringComparison.Ordinal);
        Assert.Equal("oops\n", result.StandardError);
    }

    [Fact]
    public async Task NlbStatusJson_ShowsEveryNodeItsAddressesAndRunningServices()
    {
        var lab = Lab;
        var result = await CommandRunner.RunCheckedAsync(lab.Description.NlbPath, ["lab", "status", "--name", lab.Name, "--json"], Timeout, cancellationToken: TestContext.Current.CancellationToken);
        var status = JsonSerializer.Deserialize(result.StandardOutput, LabJsonContext.Default.LabStatus)!;

        Assert.Equal(["sw", "h1", "h2", "c1", "c2"], status.Nodes.Select(n => n.Name));
        Assert.All(status.Nodes, n => Assert.True(n.NamespaceExists));
        foreach (var host in status.Nodes.Where(n => n.Role == NodeRole.Host))
        {
            Assert.True(host.ServiceRunning, host.Name);
            Assert.False(host.NlbdRunning, host.Name);
            Assert.True(host.SwitchPortUp, host.Name);
            Assert.Null(host.Cluster);
            Assert.Equal([lab.Node(host.Name).Address!.Value.ToString()], host.Addresses);
            Assert.Equal(lab.Node(host.Name).Mac, host.Mac);
        }

        // Nothing owns the VIP in a lab without nlbd.
        Assert.DoesNotContain(status.Nodes.SelectMany(n => n.Addresses), a => a.StartsWith("192.0.2.100/", StringComparison.Ordinal));
        Assert.Equal(["192.0.2.201/24", "198.51.100.1/32", "203.0.113.1/32"], status.Nodes.Single(n => n.Name == "c1").Addresses);
    }

    [Fact]
    public async Task Up_OfAnExistingName_IsRefused_AndLeavesThatLabAlone()
    {
        var lab = Lab;
        var error = await Assert.ThrowsAsync<LabException>(() => Labs.UpAsync(new LabOptions { Name = lab.Name, NoNlbd = true }, TestContext.Current.CancellationToken));
        Assert.Contains("exists already", error.Message, StringComparison.Ordinal);

        Assert.Equal(5, LabPrerequisites.Namespaces($"onlb-{lab.Name}-").Count);
        Assert.Equal("h1", await lab.HttpGetAsync("c1", lab.HostDip(1), cancellationToken: TestContext.Current.CancellationToken));
    }
}
