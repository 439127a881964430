using System.Globalization;

namespace OpenNlb.Core.Configuration;

/// <summary>
/// What <c>nlb reload</c> may apply to a running host, decided before anything is applied: every
/// change that needs a restart (or every host at once) is a refusal, and one refusal keeps the
/// whole old configuration. Pure; nlbd applies <see cref="Changes"/> only when
/// <see cref="Refusals"/> is empty.
/// </summary>
public sealed record ReloadPlan(IReadOnlyList<string> Refusals, IReadOnlyList<string> Changes)
{
    public bool CanApply => Refusals.Count == 0;

    public static ReloadPlan Between(NlbConfig running, NlbConfig loaded)
    {
        ArgumentNullException.ThrowIfNull(running);
        ArgumentNullException.ThrowIfNull(loaded);
        var refusals = new List<string>();
        var changes = new List<string>();
        ClusterChanges(running.Cluster, loaded.Cluster, refusals);
        HostChanges(running, loaded, refusals, changes);
        return new ReloadPlan(refusals, changes);
    }

    /// <summary>
    /// The cluster section is the same on every host and fingerprinted: a host that changed it
    /// alone would be kept out of its cluster, so reload refuses it and names each key.
    /// </summary>
    private static void ClusterChanges(ClusterConfig a, ClusterConfig b, List<string> refusals)
    {
        const string Why = "the cluster section must change on every host together; this version applies it only by restarting nlbd";
        void Differs(string key) => refusals.Add($"cluster.{key}: changed; {Why}");

        if (a.Name != b.Name)
        {
            Differs("name");
        }

        if (!a.Vips.SequenceEqual(b.Vips))
        {
            Differs("vips");
        }

        if (a.Mode != b.Mode)
        {
            Differs("mode");
        }

        if (a.FilterIcmp != b.FilterIcmp)
        {
            Differs("filterIcmp");
        }

        var (ha, hb) = (a.Heartbeat, b.Heartbeat);
        if (ha.PeriodMs != hb.PeriodMs || ha.Tolerance != hb.Tolerance || ha.Port != hb.Port || ha.Takeover != hb.Takeover)
        {
            Differs("heartbeat");
        }

        if (!Equals(ha.Key, hb.Key) || ha.KeyFile != hb.KeyFile)
        {
            refusals.Add("cluster.heartbeat.key: changed; a new cluster key must reach every host together; this version applies it only by restarting nlbd");
        }

        if (a.PortRules.Count != b.PortRules.Count)
        {
            Differs(string.Create(CultureInfo.InvariantCulture, $"portRules ({a.PortRules.Count} rules, now {b.PortRules.Count})"));
            return;
        }

        for (var i = 0; i < a.PortRules.Count; i++)
        {
            if (a.PortRules[i] != b.PortRules[i])
            {
                Differs(string.Create(CultureInfo.InvariantCulture, $"portRules[{i}] ({a.PortRules[i].Name})"));
            }
        }
    }

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
