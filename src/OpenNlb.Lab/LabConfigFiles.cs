using System.Globalization;
using System.Net;
using OpenNlb.Core.Configuration;

namespace OpenNlb.Lab;

/// <summary>
/// `nlb lab up --config FILE...`: the hosts' own configuration files instead of the generated ones,
/// so that a configuration written by hand can be tried in the lab before it goes to servers. The
/// lab checks only what its network needs (each file valid, host i on eth0 with the DIP
/// 192.0.2.(10+i)/24, one file per host, the VIP on the lab's segment); a cluster section that
/// differs between files is left for nlbd to report, as it would on real hosts.
/// </summary>
public static class LabConfigFiles
{
    private static readonly IPNetwork Segment = new(IPAddress.Parse("192.0.2.0"), AddressPlan.PrefixLength);

    /// <summary>The texts nlbd is to read (<see cref="Copy"/>) by host priority, and the first file's configuration; or every reason the files cannot make this lab.</summary>
    public static (IReadOnlyDictionary<int, string> Texts, NlbConfig? First, IReadOnlyList<string> Errors) Check(IReadOnlyList<(string Path, string Text)> files, int hosts)
    {
        var errors = new List<string>();
        var texts = new SortedDictionary<int, string>();
        NlbConfig? first = null;
        if (files.Count == 0)
        {
            // No --config: the lab writes its own files.
            return (texts, first, errors);
        }

        foreach (var (path, text) in files)
        {
            var result = ConfigLoader.Parse(text);
            if (result.Config is not { } config)
            {
                errors.AddRange(result.Errors.Select(e => $"{path}: {e}"));
                continue;
            }

            first ??= config;
            var host = config.Host;
            if (host.Priority > hosts)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{path}: host.priority {host.Priority}: the lab has hosts 1..{hosts}, one file for each"));
            }
            else if (!texts.TryAdd(host.Priority, Copy(path, text)))
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{path}: host.priority {host.Priority} is given by another file too"));
            }

            if (host.Interface != "eth0")
            {
                errors.Add($"{path}: host.interface: a lab host's interface is eth0, not '{host.Interface}'");
            }

            if (host.Priority <= AddressPlan.MaxHosts && host.DedicatedIp != AddressPlan.HostDip(host.Priority))
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{path}: host.dedicatedIp: lab host h{host.Priority} has {AddressPlan.HostDip(host.Priority)}, not {host.DedicatedIp}"));
            }

            foreach (var vip in config.Cluster.Vips.Where(v => !Segment.Contains(v)))
            {
                errors.Add($"{path}: cluster.vips: {vip} is not on the lab's network {Segment}: the clients could not reach it");
            }
        }

        if (errors.Count == 0 && texts.Count != hosts)
        {
            var missing = Enumerable.Range(1, hosts).Where(h => !texts.ContainsKey(h));
            errors.Add($"no file for host priority {string.Join(", ", missing)}: give one file per lab host (or --hosts {texts.Count})");
        }

        return (texts, first, errors);
    }

    /// <summary>The copy nlbd reads: the file as written, under a line that says where it came from.</summary>
    public static string Copy(string path, string text) => $"# Copied by `nlb lab up` from {path}.\n{text}";
}
