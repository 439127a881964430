using System.Globalization;

namespace OpenNlb.Core.Configuration;

/// <summary>
/// What <c>nlb reload</c> may apply to a running host, decided before anything is applied: every
/// change that needs a restart is a refusal, and one refusal keeps the whole old configuration.
/// Host settings apply at once (<see cref="Changes"/>); port rules and filterIcmp, which every host
/// must hold alike, are staged and switched to on every host together (<see cref="ClusterChanges"/>,
/// docs/control.md, "Changing the cluster section"). Pure; nlbd applies a plan only when
/// <see cref="Refusals"/> is empty.
/// </summary>
public sealed record ReloadPlan(IReadOnlyList<string> Refusals, IReadOnlyList<string> Changes, IReadOnlyList<string> ClusterChanges)
{
    public bool CanApply => Refusals.Count == 0;

    /// <summary>The cluster section changes: the plan waits for every host (<see cref="ClusterChanges"/>).</summary>
    public bool SwitchesCluster => ClusterChanges.Count > 0;

    public static ReloadPlan Between(NlbConfig running, NlbConfig loaded)
    {
        ArgumentNullException.ThrowIfNull(running);
        ArgumentNullException.ThrowIfNull(loaded);
        var refusals = new List<string>();
        var changes = new List<string>();
        var cluster = new List<string>();
        RestartOnly(running.Cluster, loaded.Cluster, refusals);
        Switched(running.Cluster, loaded.Cluster, cluster);
        if (refusals.Count == 0 && cluster.Count == 0 && ConfigFingerprint.Of(running.Cluster) != ConfigFingerprint.Of(loaded.Cluster))
        {
            // A key this plan does not name yet: still switched together, never applied alone.
            cluster.Add("cluster: changed");
        }

        HostChanges(running, loaded, refusals, changes);
        return new ReloadPlan(refusals, changes, cluster);
    }

    /// <summary>
    /// What identifies the cluster on the wire and on the link (name, key, heartbeat port and
    /// timing, mode, VIPs): a host that changed one would no longer hear, or be heard by, the
    /// others, so reload refuses it and names each key.
    /// </summary>
    private static void RestartOnly(ClusterConfig a, ClusterConfig b, List<string> refusals)
    {
        const string Why = "this version changes it only with nlbd stopped on every host (docs/control.md)";
        void Differs(string key, string what) => refusals.Add($"cluster.{key}: changed ({what}); {Why}");

        if (a.Name != b.Name)
        {
            Differs("name", $"{a.Name} -> {b.Name}");
        }

        if (!a.Vips.SequenceEqual(b.Vips))
        {
            Differs("vips", $"{string.Join(", ", a.Vips)} -> {string.Join(", ", b.Vips)}");
        }

        if (a.Mode != b.Mode)
        {
            Differs("mode", $"{Word(a.Mode)} -> {Word(b.Mode)}");
        }

        var (ha, hb) = (a.Heartbeat, b.Heartbeat);
        var heartbeat = new List<string>();
        Field(heartbeat, "periodMs", ha.PeriodMs, hb.PeriodMs);
        Field(heartbeat, "tolerance", ha.Tolerance, hb.Tolerance);
        Field(heartbeat, "port", ha.Port, hb.Port);
        Field(heartbeat, "takeover", ha.Takeover, hb.Takeover);
        if (heartbeat.Count > 0)
        {
            Differs("heartbeat", string.Join(", ", heartbeat));
        }

        if (!Equals(ha.Key, hb.Key) || ha.KeyFile != hb.KeyFile)
        {
            refusals.Add($"cluster.heartbeat.key: changed; a new cluster key must reach every host together; {Why}");
        }
    }

    /// <summary>Port rules by name (added, removed, changed, moved) and filterIcmp: staged, then switched to with every host.</summary>
    private static void Switched(ClusterConfig a, ClusterConfig b, List<string> changes)
    {
        if (a.FilterIcmp != b.FilterIcmp)
        {
            changes.Add(b.FilterIcmp ? "cluster.filterIcmp: on" : "cluster.filterIcmp: off");
        }

        var before = a.PortRules.Select((r, i) => (r, i)).ToDictionary(x => x.r.Name, StringComparer.Ordinal);
        var after = b.PortRules.Select((r, i) => (r, i)).ToDictionary(x => x.r.Name, StringComparer.Ordinal);
        foreach (var (rule, i) in b.PortRules.Select((r, i) => (r, i)))
        {
            if (!before.TryGetValue(rule.Name, out var old))
            {
                changes.Add(string.Create(CultureInfo.InvariantCulture, $"cluster.portRules[{i}] ({rule.Name}): added"));
            }
            else if (old.r != rule)
            {
                var moved = old.i != i ? string.Create(CultureInfo.InvariantCulture, $", moved from [{old.i}]") : string.Empty;
                changes.Add(string.Create(CultureInfo.InvariantCulture, $"cluster.portRules[{i}] ({rule.Name}): changed ({RuleDiff(old.r, rule)}{moved})"));
            }
            else if (old.i != i)
            {
                changes.Add(string.Create(CultureInfo.InvariantCulture, $"cluster.portRules[{i}] ({rule.Name}): moved from [{old.i}]"));
            }
        }

        foreach (var (rule, i) in a.PortRules.Select((r, i) => (r, i)).Where(x => !after.ContainsKey(x.r.Name)))
        {
            changes.Add(string.Create(CultureInfo.InvariantCulture, $"cluster.portRules[{i}] ({rule.Name}): removed"));
        }
    }

    /// <summary>What differs between two versions of one rule, field by field: "ports 80 -> 80-81, affinity single -> none".</summary>
    private static string RuleDiff(PortRule a, PortRule b)
    {
        var fields = new List<string>();
        Field(fields, "vip", a.Vip?.ToString() ?? "all", b.Vip?.ToString() ?? "all");
        Field(fields, "ports", a.Ports.ToString(), b.Ports.ToString());
        Field(fields, "protocol", Word(a.Protocol), Word(b.Protocol));
        Field(fields, "filtering", Word(a.Filtering), Word(b.Filtering));
        Field(fields, "affinity", Word(a.Affinity), Word(b.Affinity));
        Field(fields, "affinityTimeoutSeconds", a.AffinityTimeoutSeconds, b.AffinityTimeoutSeconds);
        return string.Join(", ", fields);
    }

    private static void Field<T>(List<string> fields, string name, T a, T b)
    {
        if (!EqualityComparer<T>.Default.Equals(a, b))
        {
            fields.Add(string.Create(CultureInfo.InvariantCulture, $"{name} {Show(a)} -> {Show(b)}"));
        }
    }

    private static string Show<T>(T value) => value switch
    {
        bool flag => flag ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value?.ToString() ?? "none",
    };

    private static string Word<T>(T value)
        where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static void HostChanges(NlbConfig running, NlbConfig loaded, List<string> refusals, List<string> changes)
    {
        var (a, b) = (running.Host, loaded.Host);
        if (a.Priority != b.Priority)
        {
            refusals.Add(string.Create(CultureInfo.InvariantCulture, $"host.priority: {a.Priority} -> {b.Priority}; the priority is the host's identity in the cluster: restart nlbd to change it"));
        }

        if (a.Interface != b.Interface)
        {
            refusals.Add($"host.interface: {a.Interface} -> {b.Interface}; restart nlbd to move to another interface");
        }

        if (a.DedicatedIp != b.DedicatedIp)
        {
            refusals.Add($"host.dedicatedIp: {a.DedicatedIp} -> {b.DedicatedIp}; restart nlbd to change it");
        }

        if (a.InitialState != b.InitialState)
        {
            changes.Add($"host.initialState: {a.InitialState} -> {b.InitialState} (applies at the next start; use nlb start/stop now)".ToLowerInvariant());
        }

        if (a.RemoteControl != b.RemoteControl)
        {
            changes.Add(b.RemoteControl ? "host.remoteControl: on" : "host.remoteControl: off");
        }

        foreach (var rule in loaded.Cluster.PortRules)
        {
            var (old, now) = (a.RuleSettings(rule.Name), b.RuleSettings(rule.Name));
            if (old.LoadWeight != now.LoadWeight)
            {
                changes.Add($"host.portRules.{rule.Name}.loadWeight: {Weight(old.LoadWeight)} -> {Weight(now.LoadWeight)}");
            }

            if (old.HandlingPriority != now.HandlingPriority)
            {
                changes.Add($"host.portRules.{rule.Name}.handlingPriority: {Priority(old.HandlingPriority, a.Priority)} -> {Priority(now.HandlingPriority, b.Priority)}");
            }
        }
    }

    private static string Weight(int? w) => w is { } v ? v.ToString(CultureInfo.InvariantCulture) : "equal";

    private static string Priority(int? p, int host) =>
        p is { } v ? v.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"default ({host})");
}
