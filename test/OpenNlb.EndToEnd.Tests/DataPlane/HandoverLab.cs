using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Win32.SafeHandles;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.DataPlane;
using OpenNlb.Core.Hashing;
using OpenNlb.Core.Membership;
using OpenNlb.EndToEnd.Tests.KernelHash;
using OpenNlb.Lab;
using OpenNlb.Linux.Conntrack;
using OpenNlb.Linux.Nftables;
using OpenNlb.Linux.Processes;

namespace OpenNlb.EndToEnd.Tests.DataPlane;

/// <summary>
/// The hand-over tests' view of the lab: three port rules (TCP echo, UDP 7, HTTP with single
/// affinity), four buckets, rulesets installed per host, and the client's probes.
/// </summary>
internal sealed class HandoverLab(LabHandle lab)
{
    public const int Buckets = 4;
    public const int Echo = 0;
    public const int Udp = 1;
    public const int Http = 2;
    public const uint Seed = 0x5eed1234;

    public static readonly int[] All = [0, 1, 2, 3];

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    public LabHandle Lab => lab;

    public IPAddress Vip => lab.Vip;

    public IPAddress Client => lab.ClientAddress(1);

    /// <summary>The client's own address and its four extra ones (two /24s).</summary>
    public IReadOnlyList<IPAddress> ClientAddresses => [Client, .. lab.Client(1).ExtraAddresses];

    public ClusterConfig Cluster => new()
    {
        Name = lab.Name,
        Vips = [lab.Vip],
        Mode = OperationMode.Unicast,
        PortRules =
        [
            new PortRule { Name = "echo", Ports = new PortRange(HandoverLabFixture.EchoPort, HandoverLabFixture.EchoPort), Protocol = Protocol.Tcp, Affinity = Affinity.None },
            new PortRule { Name = "udp", Ports = new PortRange(7, 7), Protocol = Protocol.Udp, Affinity = Affinity.None },
            new PortRule { Name = "http", Ports = new PortRange(80, 80), Protocol = Protocol.Tcp, Affinity = Affinity.Single },
        ],
    };

    /// <summary>Host i's spec: HTTP keeps its clients 30 s; no lease, unless a test sets one.</summary>
    public DataPlaneSpec Spec(int host) =>
        new(Cluster, host, "eth0", Buckets, Seed) { AffinityTimeouts = [TimeSpan.Zero, TimeSpan.Zero, TimeSpan.FromSeconds(30)] };

    public static Ownership Owns(RuleOwnership? echo = null, RuleOwnership? udp = null, RuleOwnership? http = null) =>
        new([echo ?? RuleOwnership.None, udp ?? RuleOwnership.None, http ?? RuleOwnership.None], IsDefaultHost: false);

    public static RuleOwnership Share(int[] owned, int[]? kept = null) => new(owned, HandlesSingle: false, kept ?? []);

    /// <summary>Installs a full ruleset on host i and forgets its conntrack entries, so that no test inherits another's flows.</summary>
    public async Task InstallAsync(int host, DataPlaneSpec spec, Ownership ownership)
    {
        await NftAsync(host, RulesetRenderer.RenderFull(spec, ownership));
        _ = await ExecAsync(host, "conntrack", "-F");
    }

    public async Task NftAsync(int host, string script)
    {
        if (script.Length > 0)
        {
            _ = await CommandRunner.RunCheckedAsync("ip", ["netns", "exec", Namespace(host), "nft", "-f", "-"], CommandTimeout, script);
        }
    }

    /// <summary>
    /// Sends, from host i to the VIP, a datagram that starts as nlbd's do (magic, version, then
    /// <paramref name="type"/>): root's by default, another user's with <paramref name="uid"/>.
    /// Only its leaving host i matters (the lease's output hook); nothing listens for it.
    /// </summary>
    public async Task SendLikeNlbdAsync(int host, byte type, int port, int? uid = null)
    {
        // Every byte is ASCII, so the runner's text standard input carries them unchanged.
        var payload = Encoding.ASCII.GetString([0x4f, 0x4e, 0x4c, 0x42, WireFormat.Version, type, .. "0123456789"u8]);
        string[] user = uid is { } id ? ["setpriv", $"--reuid={id}", $"--regid={id}", "--clear-groups"] : [];
        _ = await CommandRunner.RunCheckedAsync(
            "ip", ["netns", "exec", Namespace(host), .. user, "socat", "-u", "STDIN", $"UDP-SENDTO:{Vip}:{port}"], CommandTimeout, payload);
    }

    public async Task<string> ExecAsync(int host, params string[] argv) =>
        (await CommandRunner.RunCheckedAsync("ip", ["netns", "exec", Namespace(host), .. argv], CommandTimeout)).StandardOutput;

    public ConntrackTable Conntrack(int host) => new(Namespace(host));

    /// <summary>A set's elements read through libnftables from inside host i's namespace.</summary>
    public IReadOnlyList<NftSetElement> ListSet(int host, string set) =>
        InNamespace(Namespace(host), () =>
        {
            using var nft = new NftablesContext();
            return NftSetReader.List(nft, NftNames.Table, set);
        });

    /// <summary>TCP resets host i's stack has sent (Tcp OutRsts of its namespace's /proc/net/snmp).</summary>
    public async Task<long> OutRstsAsync(int host)
    {
        var lines = (await ExecAsync(host, "cat", "/proc/net/snmp")).Split('\n').Where(l => l.StartsWith("Tcp:", StringComparison.Ordinal)).ToList();
        var index = Array.IndexOf(lines[0].Split(' '), "OutRsts");
        return long.Parse(lines[1].Split(' ')[index], System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The first port from <paramref name="from"/> whose flow from the client falls in <paramref name="bucket"/> (affinity none).</summary>
    public int PortIn(int bucket, int from) =>
        Enumerable.Range(from, 1000).First(p => FlowHash.Bucket(Affinity.None, Client, (ushort)p, Seed, Buckets) == bucket);

    public static int BucketOf(IPAddress client) => FlowHash.Bucket(Affinity.Single, client, 0, Seed, Buckets);

    /// <summary>Connects from the client to VIP:port; null when nothing answered the SYN within <paramref name="wait"/>.</summary>
    public async Task<Socket?> TryConnectAsync(int sourcePort, int port, TimeSpan wait)
    {
        var socket = OpenClientSocket(SocketType.Stream, ProtocolType.Tcp, Client, sourcePort);
        using var deadline = new CancellationTokenSource(wait);
        try
        {
            await socket.ConnectAsync(new IPEndPoint(Vip, port), deadline.Token);
            return socket;
        }
        catch (OperationCanceledException)
        {
            socket.Dispose();
            return null;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async Task<Socket> ConnectEchoAsync(int sourcePort) =>
        await TryConnectAsync(sourcePort, HandoverLabFixture.EchoPort, TimeSpan.FromSeconds(3))
        ?? throw new TimeoutException($"no host took the connection from {Client}:{sourcePort}");

    /// <summary>Sends text on a connection and returns the answer ("h1:text").</summary>
    public static async Task<string> EchoAsync(Socket connection, string text)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        _ = await connection.SendAsync(Encoding.ASCII.GetBytes(text), SocketFlags.None, deadline.Token);
        var buffer = new byte[1024];
        var received = await connection.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
        return Encoding.ASCII.GetString(buffer, 0, received);
    }

    /// <summary>
    /// Sends one datagram from client:sourcePort to VIP:7 and returns the names of every host
    /// that answered within the window, sorted: an unconnected socket sees them all.
    /// </summary>
    public async Task<IReadOnlyList<string>> UdpAnswersAsync(int sourcePort, TimeSpan? window = null)
    {
        using var socket = OpenClientSocket(SocketType.Dgram, ProtocolType.Udp, Client, sourcePort);
        _ = await socket.SendToAsync("x"u8.ToArray(), SocketFlags.None, new IPEndPoint(Vip, 7));
        var names = new List<string>();
        using var deadline = new CancellationTokenSource(window ?? TimeSpan.FromMilliseconds(400));
        var buffer = new byte[256];
        try
        {
            while (true)
            {
                var received = await socket.ReceiveAsync(buffer, SocketFlags.None, deadline.Token);
                names.Add(Encoding.ASCII.GetString(buffer, 0, received).TrimEnd('\n'));
            }
        }
        catch (OperationCanceledException)
        {
            // The window is over.
        }

        return [.. names.Order(StringComparer.Ordinal)];
    }

    private Socket OpenClientSocket(SocketType type, ProtocolType protocol, IPAddress source, int port)
    {
        var socket = lab.OpenSocket(lab.Client(1).Name, type, protocol);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Bind(new IPEndPoint(source, port));
        return socket;
    }

    private string Namespace(int host) => lab.Host(host).Namespace;

    /// <summary>Runs <paramref name="action"/> on a thread that entered the namespace (setns moves only the calling thread).</summary>
    private static T InNamespace<T>(string ns, Func<T> action)
    {
        T? result = default;
        Exception? error = null;
        var thread = new Thread(() =>
        {
            try
            {
                using SafeFileHandle handle = File.OpenHandle($"/run/netns/{ns}");
                NetnsInterop.EnterNetworkNamespace(handle, ns);
                result = action();
            }
            catch (Exception e)
            {
                error = e;
            }
        });
        thread.Start();
        thread.Join();
        return error is null ? result! : throw new InvalidOperationException($"in namespace {ns}: {error.Message}", error);
    }
}
