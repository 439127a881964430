using System.Globalization;
using System.Text;
using OpenNlb.Lab;
using OpenNlb.Lab.Model;

namespace OpenNlb.Cli.Lab;

/// <summary>The text `nlb lab` prints.</summary>
internal static class LabFormatter
{
    public static string Up(LabDescription lab, LabPaths paths)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        var hosts = lab.Hosts.ToList();
        var clients = lab.Clients.ToList();
        text.Append(c, $"lab '{lab.Name}' is up: {Count(hosts.Count, "host")}, {Count(clients.Count, "client")}, {Word(lab.Mode)}, VIP {lab.Vip}")
            .Append(lab.NoNlbd ? " (no nlbd: nothing owns the VIP)\n" : "\n");
        var table = new TextTable("NODE", "NAMESPACE", "ADDRESS", "EXTRA");
        foreach (var node in hosts.Concat(clients))
        {
            table.Add(node.Name, node.Namespace, node.Address?.ToString() ?? "-", Extra(node.ExtraAddresses.Select(a => a.ToString()).ToList()));
        }

        text.Append(table).Append(c, $"state, configs and logs: {paths.Directory}\n");
        if (clients.Count > 0)
        {
            text.Append(c, $"try: nlb lab exec{NameArgument(lab.Name)} {clients[0].Name} -- curl -s http://{(lab.NoNlbd ? hosts[0].Address!.Value.Address : lab.Vip)}/\n");
        }

        return text.ToString();
    }

    public static string Down(IReadOnlyList<TeardownReport> reports)
    {
        if (reports.Count == 0)
        {
            return "no lab to tear down\n";
        }

        var text = new StringBuilder();
        foreach (var r in reports)
        {
            text.Append(CultureInfo.InvariantCulture, $"lab '{r.Name}': {r.ProcessesKilled.Count} processes stopped, {r.NamespacesDeleted.Count} namespaces deleted, state directory {(r.StateDirectoryRemoved ? "removed" : "absent")}\n");
        }

        return text.ToString();
    }

    public static string Status(LabStatus lab)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.Append(c, $"lab '{lab.Name}': {Word(lab.Mode)}, VIP {lab.Vip}{(lab.NoNlbd ? ", no nlbd" : "")}, state in {lab.StateDirectory}\n");
        var table = new TextTable("NODE", "PORT", "MAC", "ADDRESSES", "SERVICE", "NLBD", "STATE", "LIVE", "DEFAULT", "BUCKETS");
        foreach (var node in lab.Nodes)
        {
            var cluster = node.Cluster;
            table.Add(
                node.Name,
                node.SwitchPortUp switch { null => "-", true => "up", false => "DOWN" },
                node.NamespaceExists ? node.Mac ?? "-" : "(namespace gone)",
                Extra(node.Addresses),
                node.Role == NodeRole.Host ? Process(node.ServicePid, node.ServiceRunning) : "-",
                node.Role == NodeRole.Host ? Process(node.NlbdPid, node.NlbdRunning) : "-",
                cluster is null ? "-" : $"{cluster.State} (as of {Age(cluster.UpdatedAt)} ago)",
                cluster is null ? "-" : string.Join(',', cluster.LiveHosts),
                cluster?.DefaultHost?.ToString(c) ?? "-",
                cluster is null ? "-" : string.Join(' ', cluster.BucketsOwned.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => $"{b.Key}={b.Value}")));
        }

        return text.Append(table).ToString();
    }

    private static string Word(Enum value) => value.ToString().ToLowerInvariant();

    private static string Count(int n, string noun) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{n} {noun}{(n == 1 ? string.Empty : "s")}");

    private static string NameArgument(string lab) => lab == "lab" ? "" : $" --name {lab}";

    private static string Process(int? pid, bool running) =>
        pid is null ? "-" : $"{pid} {(running ? "running" : "EXITED")}";

    private static string Age(DateTimeOffset updatedAt)
    {
        var age = DateTimeOffset.UtcNow - updatedAt;
        return age.TotalSeconds < 100 ? $"{Math.Max(0, age.TotalSeconds):0.0}s" : $"{age.TotalMinutes:0}m";
    }

    /// <summary>The first two addresses, then how many more (clients may have hundreds).</summary>
    private static string Extra(IReadOnlyList<string> addresses) =>
        addresses.Count switch
        {
            0 => "-",
            <= 2 => string.Join(' ', addresses),
            _ => $"{addresses[0]} {addresses[1]} +{addresses.Count - 2}",
        };
}
