using System.Text.Json;
using OpenNlb.Lab.Interop;
using OpenNlb.Lab.Model;
using OpenNlb.Lab.Processes;
using OpenNlb.Linux.Processes;

namespace OpenNlb.Lab;

/// <summary>
/// `up`: namespaces, the bridge, veths, addresses and routes, then the lab services, then nlbd.
/// Whatever goes wrong after the lab's name is claimed, everything built so far is torn down.
/// </summary>
internal static class LabBuilder
{
    private static readonly string[] CommonSysctls =
    [
        // IPv4 only: no router solicitations, DAD or MLD in a tcpdump of the lab.
        "net.ipv6.conf.all.disable_ipv6=1",
        "net.ipv6.conf.default.disable_ipv6=1",
        // New namespaces inherit IPv4 settings from the machine's; a host that forwarded would send
        // back out whatever reached it for another host's DIP under the shared unicast cluster MAC.
        "net.ipv4.ip_forward=0",
        "net.ipv4.conf.all.rp_filter=0",
        "net.ipv4.conf.default.rp_filter=0",
    ];

    private static readonly string[] SwitchSysctls =
    [
        // A switch does not run IP netfilter (nor conntrack's defrag) on the frames it bridges.
        "net.bridge.bridge-nf-call-iptables=0",
        "net.bridge.bridge-nf-call-ip6tables=0",
        "net.bridge.bridge-nf-call-arptables=0",
    ];

    private static readonly string[] ClientSysctls =
    [
        // Room for a connection-rate benchmark: more ephemeral ports, and reuse of TIME_WAIT ones.
        "net.ipv4.ip_local_port_range=1024 65535",
        "net.ipv4.tcp_tw_reuse=1",
    ];

    public static async Task<LabHandle> UpAsync(LabOptions options, CancellationToken cancellationToken)
    {
        var errors = LabPlan.Validate(options);
        if (errors.Count > 0)
        {
            throw new LabException(string.Join("; ", errors));
        }

        if (Labs.MissingPrerequisite() is { } missing)
        {
            throw new LabException(missing);
        }

        var lab = options.Name;
        if (Labs.Exists(lab))
        {
            throw Exists(lab, null);
        }

        var (configTexts, firstConfig) = await ReadConfigFilesAsync(options, cancellationToken);
        var description = LabPlan.Describe(
            firstConfig is null ? options : options with { Mode = firstConfig.Cluster.Mode },
            ToolLocator.FindNlb(options.NlbPath),
            options.NoNlbd ? null : ToolLocator.FindNlbd(options.NlbdPath),
            DateTimeOffset.UtcNow);
        if (firstConfig is not null)
        {
            description = description with { Vip = firstConfig.Cluster.Vips[0] };
        }

        // Creating the switch namespace claims the name: of two `up`s racing, one fails here, and
        // must not tear down the other's lab. Not cancellable: a namespace created after we stopped
        // waiting would be left behind.
        var switchNamespace = LabNames.Namespace(lab, LabNames.Switch);
        try
        {
            _ = await Ip.RunAsync(null, ["netns", "add", switchNamespace], CancellationToken.None);
        }
        catch (CommandFailedException e) when (NetNamespace.Exists(switchNamespace))
        {
            throw Exists(lab, e);
        }

        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var handle = new LabHandle(description);
            _ = Directory.CreateDirectory(handle.Paths.Directory);
            await File.WriteAllTextAsync(handle.Paths.LabJson, JsonSerializer.Serialize(description, LabJsonContext.Default.LabDescription), cancellationToken);
            await BuildNetworkAsync(description, cancellationToken);
            var key = NlbdConfigWriter.NewKey();
            foreach (var host in description.Hosts)
            {
                NlbdConfigWriter.Save(
                    handle.Paths.Config(host.HostPriority),
                    configTexts.TryGetValue(host.HostPriority, out var own) ? own : NlbdConfigWriter.Write(lab, description.Mode, host.HostPriority, key));
                handle.StartService(host.HostPriority);
            }

            var deadline = DateTime.UtcNow + options.ReadyTimeout;
            await LabReadiness.WaitForServicesAsync(handle, deadline, cancellationToken);
            if (handle.Clients.Count > 0)
            {
                // The probes taught c1 the hosts' own MACs; in unicast mode nlbd is about to replace
                // them with the cluster MAC. Leave c1 as if it had never spoken to anyone.
                _ = await Ip.RunAsync(handle.Clients[0].Namespace, ["neigh", "flush", "dev", "eth0"], cancellationToken);
            }

            if (!description.NoNlbd)
            {
                foreach (var host in description.Hosts)
                {
                    handle.StartNlbd(host.HostPriority);
                }

                await LabReadiness.WaitForNlbdAsync(handle, deadline, cancellationToken);
            }

            return handle;
        }
        catch (Exception e)
        {
            try
            {
                _ = await LabTeardown.DownAsync(lab, CancellationToken.None);
            }
            catch (Exception teardown)
            {
                throw new LabException($"lab '{lab}' did not come up ({e.Message}), and tearing it down failed too ({teardown.Message}); try `nlb lab down --name {lab}`", new AggregateException(e, teardown));
            }

            throw;
        }
    }

    /// <summary>The --config files, checked against the lab's network before anything is built.</summary>
    private static async Task<(IReadOnlyDictionary<int, string> Texts, Core.Configuration.NlbConfig? First)> ReadConfigFilesAsync(LabOptions options, CancellationToken cancellationToken)
    {
        var files = new List<(string, string)>();
        foreach (var path in options.ConfigFiles)
        {
            try
            {
                files.Add((Path.GetFullPath(path), await File.ReadAllTextAsync(path, cancellationToken)));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new LabException($"{path}: cannot read it: {e.Message}", e);
            }
        }

        var (texts, first, errors) = LabConfigFiles.Check(files, options.Hosts);
        return errors.Count > 0 ? throw new LabException(string.Join("; ", errors)) : (texts, first);
    }

    private static async Task BuildNetworkAsync(LabDescription description, CancellationToken cancellationToken)
    {
        var nodes = description.Nodes.Where(n => n.Role != NodeRole.Switch).ToList();
        var switchNode = description.Nodes.Single(n => n.Role == NodeRole.Switch);
        if (nodes.Count > 0)
        {
            _ = await Ip.BatchAsync(null, nodes.Select(n => $"netns add {n.Namespace}"), cancellationToken);
        }

        // Before any veth exists, so that eth0 is born with these defaults.
        await Task.WhenAll(description.Nodes.Select(n => Ip.SysctlAsync(
            n.Namespace,
            n.Role switch
            {
                NodeRole.Switch => [.. CommonSysctls, .. SwitchSysctls],
                NodeRole.Client => [.. CommonSysctls, .. ClientSysctls],
                _ => CommonSysctls,
            },
            ignoreUnknown: n.Role == NodeRole.Switch,   // no net.bridge.* keys without br_netfilter, and none needed
            cancellationToken)));

        _ = await Ip.BatchAsync(switchNode.Namespace, SwitchCommands(nodes), cancellationToken);
        await Task.WhenAll(nodes.Select(n => Ip.BatchAsync(n.Namespace, NodeCommands(n), cancellationToken)));
    }

    /// <summary>The bridge, learning on every port (the default) like a real switch; one veth per node, its far end eth0 in the node.</summary>
    private static IEnumerable<string> SwitchCommands(IEnumerable<LabNode> nodes)
    {
        // Without snooping the bridge floods multicast frames like a plain switch, which is what
        // multicast mode (the 03:bf:VIP MAC) expects.
        yield return "link add br0 type bridge mcast_snooping 0";
        yield return "link set br0 up";
        foreach (var node in nodes)
        {
            yield return $"link add {node.Name} type veth peer name eth0 address {node.Mac} netns {node.Namespace}";
            yield return $"link set {node.Name} master br0 up";
        }
    }

    private static IEnumerable<string> NodeCommands(LabNode node)
    {
        yield return "link set lo up";
        yield return $"addr add {node.Address} dev eth0";
        foreach (var extra in node.ExtraAddresses)
        {
            yield return $"addr add {extra}/32 dev eth0";
        }

        yield return "link set eth0 up";
        foreach (var network in AddressPlan.ExtraNetworks)
        {
            // On-link: answers to clients' extra addresses go straight onto the segment, no router.
            yield return $"route add {network} dev eth0";
        }
    }

    private static LabException Exists(string lab, Exception? inner)
    {
        var message = $"a lab named '{lab}' exists already; remove it with `nlb lab down --name {lab}` or choose another --name";
        return inner is null ? new LabException(message) : new LabException(message, inner);
    }
}
