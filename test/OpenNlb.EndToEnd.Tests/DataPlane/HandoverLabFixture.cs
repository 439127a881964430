using System.Net.Sockets;
using OpenNlb.Core.DataPlane;
using OpenNlb.Lab;
using OpenNlb.Linux.Processes;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.DataPlane;

/// <summary>
/// A lab without nlbd (2 hosts, 1 client with 4 extra addresses) whose hosts the tests put in
/// unicast cluster mode by hand: the cluster MAC, the VIP, and an echo server on
/// <see cref="EchoPort"/>. The tests install rulesets themselves, so each one shows what the
/// rendered ruleset does, with nothing of nlbd in between.
/// </summary>
public sealed class HandoverLabFixture : IAsyncLifetime
{
    public const string Name = "td1";
    public const int EchoPort = 9000;

    private readonly List<EchoServer> servers = [];

    public LabHandle? Lab { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (Labs.MissingPrerequisite() is not null || !Support.Requires.HasTool("nft") || !Support.Requires.HasTool("conntrack"))
        {
            return;
        }

        // A lab of this name left by an aborted run would make `up` refuse; it is ours to remove.
        _ = await Labs.DownAsync(Name);
        Lab = await Labs.UpAsync(new LabOptions { Name = Name, Hosts = 2, Clients = 1, NoNlbd = true, ClientAddresses = 4 });
        var mac = ClusterMac.Format(ClusterMac.Unicast(Lab.Vip));
        foreach (var host in Lab.Hosts)
        {
            await Exec(host.Namespace, "ip", "link", "set", "dev", "eth0", "address", mac);
            await Exec(host.Namespace, "ip", "addr", "add", $"{Lab.Vip}/32", "dev", "eth0", "noprefixroute");
            servers.Add(new EchoServer(Lab.OpenSocket(host.Name, SocketType.Stream, ProtocolType.Tcp), host.Name, EchoPort));
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }

        if (Lab is not null)
        {
            await Lab.DisposeAsync();
        }
    }

    private static Task Exec(string ns, params string[] argv) =>
        CommandRunner.RunCheckedAsync("ip", ["netns", "exec", ns, .. argv], TimeSpan.FromSeconds(10));
}
