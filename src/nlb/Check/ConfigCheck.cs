using System.Globalization;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Membership;

namespace OpenNlb.Cli.Check;

/// <summary>
/// `nlb check`: reads host configuration files with nlbd's own loader, without touching the
/// kernel, and, given the files of several hosts, says whether they make one cluster. Running
/// nlbd to check a file would not do: a valid file makes it take over the interface.
/// </summary>
internal static class ConfigCheck
{
    /// <summary>One line per file, then one per problem between files; ok when there is no error.</summary>
    /// <param name="readKeyFile">
    /// Reads a <c>keyFile</c> as nlbd does (the key, or why not); null: key files are not read,
    /// and only their paths are compared.
    /// </param>
    public static (bool Ok, IReadOnlyList<string> Lines) Run(
        IReadOnlyList<(string Name, string Text)> files, Func<HeartbeatConfig, (ClusterKey? Key, string Problem)>? readKeyFile = null)
    {
        var lines = new List<string>();
        var valid = new List<(string Name, NlbConfig Config)>();
        var keyProblems = 0;
        foreach (var (name, text) in files)
        {
            var result = ConfigLoader.Parse(text);
            if (result.Config is not { } config)
            {
                lines.AddRange(result.Errors.Select(e => $"{name}: {e}"));
                continue;
            }

            // A key file is read here as nlbd reads it at start: a file check passes, nlbd takes.
            if (config.Cluster.Heartbeat.KeyFile is not null && readKeyFile is not null)
            {
                var (key, problem) = readKeyFile(config.Cluster.Heartbeat);
                if (key is null)
                {
                    lines.Add($"{name}: {problem}");
                    keyProblems++;
                    continue;
                }

                config = config with { Cluster = config.Cluster with { Heartbeat = config.Cluster.Heartbeat with { Key = key } } };
            }

            valid.Add((name, config));
            lines.Add($"{name}: valid: {Describe(config)}");
        }

        var across = Across(valid);
        lines.AddRange(across);
        if (valid.Count > 1 && across.Count == 0)
        {
            lines.Add($"the {valid.Count} files make one cluster: the same cluster section and key, each its own host priority and dedicated IP");
        }

        return (valid.Count == files.Count && keyProblems == 0 && across.Count == 0, lines);
    }

    private static string Describe(NlbConfig config)
    {
        var c = config.Cluster;
        var h = config.Host;
        var key = c.Heartbeat.KeyFile is { } file
            ? c.Heartbeat.Key is { } read ? $"{read} from {file}" : $"key from {file} (not read)"
            : $"{c.Heartbeat.Key} inline";
        return string.Create(
            CultureInfo.InvariantCulture,
            $"cluster '{c.Name}' (fingerprint {Fingerprint(config)}), VIPs {string.Join(' ', c.Vips)}, {c.PortRules.Count} port rules, {key}; host priority {h.Priority} on {h.Interface} {h.DedicatedIp}");
    }

    private static string Fingerprint(NlbConfig config) =>
        ConfigFingerprint.Of(config.Cluster).ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>What a single file cannot show: hosts must agree on the cluster and differ in themselves.</summary>
    private static List<string> Across(List<(string Name, NlbConfig Config)> valid)
    {
        var problems = new List<string>();
        if (valid.Count < 2)
        {
            return problems;
        }

        if (valid.Select(v => Fingerprint(v.Config)).Distinct().Count() > 1)
        {
            problems.Add("the cluster sections differ (" + string.Join(", ", valid.Select(v => $"{v.Name} {Fingerprint(v.Config)}"))
                + "): these hosts would keep each other out; make the cluster section identical in every file");
        }

        // The key is left out of the fingerprint (it travels in clear), so it is compared apart.
        // A key read from its file compares by the key; one not read, by its path.
        if (valid.Select(v => v.Config.Cluster.Heartbeat.Key?.Id ?? "file " + v.Config.Cluster.Heartbeat.KeyFile).Distinct().Count() > 1)
        {
            problems.Add("the cluster keys differ (" + string.Join(", ", valid.Select(v => $"{v.Name} {KeyOf(v.Config)}"))
                + "): these hosts would refuse each other's heartbeats as forged");
        }

        problems.AddRange(Duplicates(valid, v => v.Config.Host.Priority.ToString(CultureInfo.InvariantCulture), "host priority", "the host priority is the host's id: give each host its own"));
        problems.AddRange(Duplicates(valid, v => v.Config.Host.DedicatedIp.Address.ToString(), "dedicated IP", "give each host its own address"));
        return problems;
    }

    private static string KeyOf(NlbConfig config) =>
        config.Cluster.Heartbeat.Key is { } key ? key.ToString() : $"from {config.Cluster.Heartbeat.KeyFile}";

    private static IEnumerable<string> Duplicates(List<(string Name, NlbConfig Config)> valid, Func<(string Name, NlbConfig Config), string> of, string what, string advice) =>
        valid.GroupBy(of)
            .Where(g => g.Count() > 1)
            .Select(g => $"{string.Join(" and ", g.Select(v => v.Name))} have the same {what} {g.Key}: {advice}");
}
