using System.Net.NetworkInformation;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.DataPlane;
using OpenNlb.Linux.Processes;

namespace OpenNlb.Linux.Links;

/// <summary>
/// Puts the cluster interface into cluster mode and back: the VIPs as /32 addresses, and either the
/// unicast cluster MAC or the multicast MAC membership. The interface's own MAC is saved to a file
/// first, so that a daemon restarted after a crash still restores the real one.
/// </summary>
/// <remarks>Uses ip(8) from iproute2 rather than rtnetlink directly: see docs/architecture.md.</remarks>
public sealed class ClusterInterface
{
    private const string Ip = "ip";
    private const string Arping = "arping";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);
    private readonly string _name;
    private readonly ClusterConfig _cluster;
    private readonly string _savedMacPath;

    public ClusterInterface(string name, ClusterConfig cluster, string runtimeDirectory)
    {
        _name = name;
        _cluster = cluster;
        _savedMacPath = Path.Combine(runtimeDirectory, $"{NetnsId()}-{name}.mac");
    }

    public static bool Exists(string name) => Directory.Exists($"/sys/class/net/{name}");

    /// <returns>What could not be announced (the interface is in cluster mode all the same).</returns>
    public async Task<IReadOnlyList<string>> AttachAsync(CancellationToken ct)
    {
        var primary = _cluster.Vips[0];
        if (_cluster.Mode == OperationMode.Unicast)
        {
            var current = await File.ReadAllTextAsync($"/sys/class/net/{_name}/address", ct);
            var clusterMac = ClusterMac.Format(ClusterMac.Unicast(primary));
            if (!File.Exists(_savedMacPath) && !string.Equals(current.Trim(), clusterMac, StringComparison.Ordinal))
            {
                Directory.CreateDirectory(Path.GetDirectoryName(_savedMacPath)!);
                await File.WriteAllTextAsync(_savedMacPath, current.Trim(), ct);
            }

            await CommandRunner.RunCheckedAsync(Ip, ["link", "set", "dev", _name, "address", clusterMac], Timeout, cancellationToken: ct);
        }
        else
        {
            var multicast = ClusterMac.Format(ClusterMac.Multicast(primary));
            var result = await CommandRunner.RunAsync(Ip, ["maddr", "add", multicast, "dev", _name], Timeout, cancellationToken: ct);
            if (result.ExitCode != 0 && !result.StandardError.Contains("File exists", StringComparison.Ordinal))
            {
                throw new CommandFailedException($"ip maddr add {multicast} dev {_name}: {result.StandardError.Trim()}");
            }
        }

        foreach (var vip in _cluster.Vips)
        {
            await CommandRunner.RunCheckedAsync(Ip, ["addr", "replace", $"{vip}/32", "dev", _name, "noprefixroute"], Timeout, cancellationToken: ct);
        }

        return await AnnounceAsync(ct);
    }

    /// <summary>
    /// Gratuitous ARP for every IPv4 address of the interface: neighbours that cached this host's
    /// dedicated IP at its previous MAC would otherwise send to a MAC nobody has any more until
    /// their cache entry expired (about a minute), and the VIP is announced at once. In multicast
    /// mode the arp table rewrites the VIP's announcement to the multicast MAC, like any ARP for it.
    /// </summary>
    public async Task<IReadOnlyList<string>> AnnounceAsync(CancellationToken ct)
    {
        var problems = new List<string>();
        var addresses = await CommandRunner.RunAsync(Ip, ["-4", "-o", "addr", "show", "dev", _name], Timeout, cancellationToken: ct);
        foreach (var line in addresses.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var at = Array.IndexOf(fields, "inet");
            if (at < 0 || at + 1 >= fields.Length)
            {
                continue;
            }

            var address = fields[at + 1].Split('/')[0];
            try
            {
                var r = await CommandRunner.RunAsync(Arping, ["-U", "-c", "1", "-I", _name, "-s", address, address], Timeout, cancellationToken: ct);
                if (r.ExitCode is not (0 or 1))
                {
                    problems.Add($"{r.Command}: {r.StandardError.Trim()}");
                }
            }
            catch (CommandFailedException e)
            {
                problems.Add($"gratuitous ARP for {address} not sent ({e.Message}); install arping (Debian: iputils-arping)");
            }
        }

        return problems;
    }

    /// <summary>Undoes <see cref="AttachAsync"/>; best effort, so that one failure does not stop the rest.</summary>
    public async Task<IReadOnlyList<string>> DetachAsync(CancellationToken ct)
    {
        var problems = new List<string>();
        foreach (var vip in _cluster.Vips)
        {
            await Try(["addr", "del", $"{vip}/32", "dev", _name]);
        }

        var primary = _cluster.Vips[0];
        if (_cluster.Mode == OperationMode.Multicast)
        {
            await Try(["maddr", "del", ClusterMac.Format(ClusterMac.Multicast(primary)), "dev", _name]);
        }
        else if (File.Exists(_savedMacPath))
        {
            var original = (await File.ReadAllTextAsync(_savedMacPath, ct)).Trim();
            if (PhysicalAddress.TryParse(original, out _))
            {
                await Try(["link", "set", "dev", _name, "address", original]);
            }

            File.Delete(_savedMacPath);
            problems.AddRange(await AnnounceAsync(ct));
        }

        return problems;

        async Task Try(string[] args)
        {
            var r = await CommandRunner.RunAsync(Ip, args, Timeout, cancellationToken: ct);
            if (r.ExitCode != 0)
            {
                problems.Add($"ip {string.Join(' ', args)}: {r.StandardError.Trim()}");
            }
        }
    }

    /// <summary>The network namespace's inode: interface names repeat across namespaces, it does not.</summary>
    private static string NetnsId()
    {
        var target = new FileInfo("/proc/self/ns/net").LinkTarget ?? "net:[0]";
        return target.Replace("net:[", string.Empty, StringComparison.Ordinal).TrimEnd(']');
    }

    public override string ToString() => $"{_name} ({_cluster.Mode}, VIPs {string.Join(", ", _cluster.Vips.Select(v => v.ToString()))})";
}
