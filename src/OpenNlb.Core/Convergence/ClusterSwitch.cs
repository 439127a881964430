using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.DataPlane;
using OpenNlb.Core.Membership;

namespace OpenNlb.Core.Convergence;

/// <summary>
/// What a host carries into the node that takes over when it switches to a new cluster section
/// (docs/control.md, "Changing the cluster section"): its state, and each rule's state where the
/// rule keeps its name. Everything the host accepted becomes kept, as after a restart: its flows
/// go on, and the new map is claimed only after every host has handed over what it keeps.
/// </summary>
public static class ClusterSwitch
{
    public static NodeSettings Settings(ConvergenceNode running, IReadOnlyList<PortRule> runningRules, NlbConfig loaded, LocalIdentity self, int bucketCount = BucketAllocator.BucketCount)
    {
        ArgumentNullException.ThrowIfNull(running);
        ArgumentNullException.ThrowIfNull(runningRules);
        ArgumentNullException.ThrowIfNull(loaded);
        var states = runningRules.Select((r, i) => (r.Name, running.Rules[i].State)).ToDictionary(x => x.Name, x => x.State, StringComparer.Ordinal);
        var rules = HostRules.Of(loaded)
            .Select((m, i) => states.TryGetValue(loaded.Cluster.PortRules[i].Name, out var state) ? m with { State = state } : m)
            .ToArray();

        // A drainstop goes on as one (AfterSwitch): the node starts, then drains.
        var state = running.State == MemberState.Draining ? MemberState.Started : running.State;
        return new NodeSettings(loaded.Cluster, self, rules, state, Restarted: true)
        {
            BucketCount = bucketCount,
            InitialKept = Kept(running.Ownership, runningRules, loaded.Cluster.PortRules, bucketCount),
        };
    }

    /// <summary>
    /// What the new ruleset keeps, so that every flow this host accepts goes on: for a rule that
    /// is the same in both sections, what it owned or kept (a flow of this host's is in one of
    /// those, and the bucket of a flow is the same under the same rule); for a rule that changed or
    /// is new, every bucket, since its flows may hash anywhere now; single-host rules and the
    /// default host's traffic as a whole. Only the same rules are narrowed: a ruleset that keeps
    /// every bucket of every rule is a transaction of a second on a busy machine.
    /// </summary>
    public static KeptUsage Kept(Ownership running, IReadOnlyList<PortRule> runningRules, IReadOnlyList<PortRule> loadedRules, int bucketCount)
    {
        ArgumentNullException.ThrowIfNull(running);
        ArgumentNullException.ThrowIfNull(runningRules);
        ArgumentNullException.ThrowIfNull(loadedRules);
        var all = Enumerable.Range(0, bucketCount).ToHashSet();

        // A peer's buckets taken over are served through its standby sets: keep everything then.
        var takenOver = running.StandbyPeers.Any(p => p.Active);
        var buckets = loadedRules.Select(rule =>
        {
            var same = runningRules.Select((r, i) => (r, i)).FirstOrDefault(x => x.r == rule);
            if (takenOver || same.r is null)
            {
                return (IReadOnlySet<int>)all;
            }

            var was = running.Rules[same.i];
            return was.Buckets.Concat(was.KeptBuckets).ToHashSet();
        }).ToList();
        return new KeptUsage(buckets, loadedRules.Select(_ => true).ToList(), defaultInUse: true);
    }

    /// <summary>The command that puts the new node where the running one was: a drainstop with the time it had left.</summary>
    public static HostCommand? AfterSwitch(ConvergenceNode running, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(running);
        return running.State != MemberState.Draining ? null
            : new HostCommand(HostCommandKind.DrainStop, Timeout: running.DrainDeadlineMs is { } at ? TimeSpan.FromMilliseconds(Math.Max(0, at - nowMs)) : null);
    }
}
