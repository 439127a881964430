using System.Text.Json;
using OpenNlb.Lab.Interop;
using OpenNlb.Lab.Model;
using OpenNlb.Lab.Processes;
using OpenNlb.Linux.Processes;

namespace OpenNlb.Lab;

/// <summary>Reads what a lab looks like now: the kernel's view of each eth0, the processes, the state files.</summary>
internal static class LabInspector
{
    public static async Task<LabStatus> StatusAsync(LabDescription description, CancellationToken cancellationToken)
    {
        var paths = new LabPaths(description.Name);
        var switchNamespace = LabNames.Namespace(description.Name, LabNames.Switch);
        var ports = NetNamespace.Exists(switchNamespace)
            ? await SwitchPortsAsync(switchNamespace, cancellationToken)
            : new Dictionary<string, bool>(StringComparer.Ordinal);
        var nodes = await Task.WhenAll(description.Nodes.Select(n => NodeAsync(n, paths, ports, cancellationToken)));
        return new LabStatus
        {
            Name = description.Name,
            Mode = description.Mode,
            Vip = description.Vip,
            NoNlbd = description.NoNlbd,
            StateDirectory = paths.Directory,
            Nodes = nodes,
        };
    }

    private static async Task<NodeStatus> NodeAsync(LabNode node, LabPaths paths, IReadOnlyDictionary<string, bool> ports, CancellationToken cancellationToken)
    {
        var inode = NetNamespace.Inode(node.Namespace);
        var status = new NodeStatus
        {
            Name = node.Name,
            Role = node.Role,
            Namespace = node.Namespace,
            NamespaceExists = inode is not null,
            SwitchPortUp = node.Role == NodeRole.Switch ? null : ports.TryGetValue(node.Name, out var up) && up,
        };
        if (inode is null || node.Role == NodeRole.Switch)
        {
            return status;
        }

        var (mac, addresses) = await Eth0Async(node.Namespace, cancellationToken);
        status = status with { Mac = mac, Addresses = addresses };
        if (node.Role != NodeRole.Host)
        {
            return status;
        }

        var host = node.HostPriority;
        var nlbdPid = ProcessState.ReadPidFile(paths.NlbdPid(host));
        var servicePid = ProcessState.ReadPidFile(paths.ServicePid(host));
        return status with
        {
            NlbdPid = nlbdPid,
            NlbdRunning = nlbdPid is { } n && ProcessState.IsRunningIn(n, inode.Value),
            ServicePid = servicePid,
            ServiceRunning = servicePid is { } s && ProcessState.IsRunningIn(s, inode.Value),
            Cluster = HostStatusReader.Read(paths.StateFile(host)),
        };
    }

    /// <summary>Admin state of every port of the bridge, by name.</summary>
    private static async Task<Dictionary<string, bool>> SwitchPortsAsync(string ns, CancellationToken cancellationToken)
    {
        var result = await Ip.RunAsync(ns, ["-j", "link", "show", "master", "br0"], cancellationToken);
        using var json = JsonDocument.Parse(result.StandardOutput);
        var ports = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var link in json.RootElement.EnumerateArray())
        {
            var up = link.TryGetProperty("flags", out var flags) && flags.EnumerateArray().Any(f => f.GetString() == "UP");
            ports[link.GetProperty("ifname").GetString() ?? ""] = up;
        }

        return ports;
    }

    private static async Task<(string? Mac, IReadOnlyList<string> Addresses)> Eth0Async(string ns, CancellationToken cancellationToken)
    {
        var result = await CommandRunner.RunAsync("ip", ["-n", ns, "-j", "addr", "show", "dev", "eth0"], Ip.Timeout, null, cancellationToken);
        if (result.ExitCode != 0)
        {
            return (null, []);
        }

        using var json = JsonDocument.Parse(result.StandardOutput);
        var link = json.RootElement.EnumerateArray().FirstOrDefault();
        if (link.ValueKind != JsonValueKind.Object)
        {
            return (null, []);
        }

        var mac = link.TryGetProperty("address", out var a) ? a.GetString() : null;
        var addresses = new List<string>();
        if (link.TryGetProperty("addr_info", out var info))
        {
            foreach (var address in info.EnumerateArray())
            {
                if (address.GetProperty("family").GetString() == "inet")
                {
                    addresses.Add($"{address.GetProperty("local").GetString()}/{address.GetProperty("prefixlen").GetInt32()}");
                }
            }
        }

        return (mac, addresses);
    }
}
