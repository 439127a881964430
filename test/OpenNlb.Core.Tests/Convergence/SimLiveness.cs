using OpenNlb.Core.Convergence;
using OpenNlb.Core.Membership;

namespace OpenNlb.Core.Tests.Convergence;

/// <summary>
/// What must hold once the network has been fault-free and every host started for long enough:
/// every host converged on one proposal that lists exactly the started hosts with their current
/// rules, and the hosts' owned buckets are exactly that proposal's map: each bucket owned by its
/// owner in the map and by no one else, one handler per single-host rule, one default host.
/// </summary>
internal static class SimLiveness
{
    public static void CheckConverged(ClusterSimulator sim, IReadOnlyList<SimHost>? hosts = null)
    {
        if (Problem(sim, hosts) is { } problem)
        {
            sim.Fail(problem);
        }
    }

    /// <summary>What keeps the cluster from having converged, or null if it has.</summary>
    public static string? Problem(ClusterSimulator sim, IReadOnlyList<SimHost>? hosts = null)
    {
        var now = sim.Now;
        var running = (hosts ?? sim.Running.ToList()).Where(h => h.Running).ToList();
        if (running.Count == 0)
        {
            return "no host runs";
        }

        foreach (var each in running)
        {
            var display = each.Node!.Display(now);
            if (each.Node.State != MemberState.Started || display is not (DisplayState.Converged or DisplayState.ConvergedDefault))
            {
                return $"{each.Name} shows {display} ({SimDescribe.Node(each.Node)}) after the faults stopped";
            }
        }

        var adopted = running[0].Node!.Adopted;
        if (running.FirstOrDefault(h => !h.Node!.Adopted.Equals(adopted)) is { } host)
        {
            return $"{host.Name} adopted e{SimCluster.Epoch(host.Node!.Adopted.Epoch)} {SimDescribe.Members(host.Node.Adopted)}, "
                + $"{running[0].Name} e{SimCluster.Epoch(adopted.Epoch)} {SimDescribe.Members(adopted)}";
        }

        var expected = running.OrderBy(h => h.Priority).Select(h => (h.Priority, string.Join(",", h.Node!.Rules))).ToArray();
        var members = adopted.Members.Select(m => (m.Priority, string.Join(",", m.Rules))).ToArray();
        if (!expected.SequenceEqual(members))
        {
            return $"the adopted proposal lists {SimDescribe.Members(adopted)} (or stale rules), the started hosts are "
                + $"{{{string.Join(",", expected.Select(e => e.Priority))}}}";
        }

        return MapProblem(sim, running, adopted);
    }

    private static string? MapProblem(ClusterSimulator sim, List<SimHost> running, Proposal adopted)
    {
        var map = SimCluster.MapOf(adopted);
        foreach (var host in running)
        {
            if (!host.Node!.Map!.Equals(map))
            {
                return $"{host.Name}'s map differs from BucketAllocator.Allocate of its adopted proposal";
            }
        }

        for (var r = 0; r < SimCluster.Config.PortRules.Count; r++)
        {
            var rule = map.Rules[r];
            if (SimCluster.IsMultiple(r))
            {
                for (var b = 0; b < SimCluster.Buckets; b++)
                {
                    var owners = running.Where(h => h.Node!.Ownership.Rules[r].Buckets.Contains(b)).Select(h => h.Priority).ToArray();
                    var owner = rule.OwnerOf(b);
                    if (!owners.SequenceEqual(owner == 0 ? [] : [owner]))
                    {
                        return $"rule {r} bucket {b}: owned by [{string.Join(",", owners)}], the map says {owner}";
                    }
                }

                var anyoneServes = adopted.Members.Any(m => m.Rules[r].Serving && m.Rules[r].EffectiveLoadWeight > 0);
                if (anyoneServes != (rule.Owners.IndexOf((byte)0) < 0))
                {
                    return $"rule {r}: buckets without an owner although a member serves it, or the reverse";
                }
            }
            else
            {
                var handlers = running.Where(h => h.Node!.Ownership.Rules[r].HandlesSingle).Select(h => h.Priority).ToArray();
                var expected = adopted.Members.Any(m => m.Rules[r].Serving) ? [rule.SingleOwner] : Array.Empty<int>();
                if (!handlers.SequenceEqual(expected) || expected.Contains(0))
                {
                    return $"single-host rule {r}: handled by [{string.Join(",", handlers)}], the map says {rule.SingleOwner}";
                }
            }
        }

        var defaults = running.Where(h => h.Node!.Ownership.IsDefaultHost).Select(h => h.Priority).ToArray();
        if (!defaults.SequenceEqual([map.DefaultHost]))
        {
            return $"default host: [{string.Join(",", defaults)}], the map says {map.DefaultHost}";
        }

        var shownDefault = running.Where(h => h.Node!.Display(sim.Now) == DisplayState.ConvergedDefault).Select(h => h.Priority).ToArray();
        if (!shownDefault.SequenceEqual([map.DefaultHost]))
        {
            return $"'converged as default' shown by [{string.Join(",", shownDefault)}], the default host is {map.DefaultHost}";
        }

        return null;
    }
}
