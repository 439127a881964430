using OpenNlb.Core.Allocation;
using OpenNlb.Core.Convergence;
using OpenNlb.Core.DataPlane;
using OpenNlb.Core.Membership;

namespace OpenNlb.Core.Tests.Convergence;

/// <summary>
/// What must hold after every event (docs/convergence.md, "The promise"): two running hosts that
/// each count the other as a participant never both own a bucket of a multiple-host rule, never
/// both handle a single-host rule, are never both the default host; and each host on its own is
/// consistent. See <see cref="SimLiveness"/> for what must hold once the faults stop.
/// </summary>
internal static class SimInvariants
{
    public static void CheckSafety(ClusterSimulator sim)
    {
        var hosts = sim.Hosts;
        foreach (var host in hosts)
        {
            if (host.Node is { } node && (!ReferenceEquals(host.LocallyChecked.Ownership, node.Ownership) || host.LocallyChecked.Version != host.Version))
            {
                CheckLocal(sim, host, node, node.Ownership);
                host.LocallyChecked = (node.Ownership, host.Version);
            }
        }

        // A pair that passed stays passed until one of its nodes gets an input: without input a
        // node's ownership does not change and its view only shrinks.
        for (var a = 0; a < hosts.Count; a++)
        {
            for (var b = a + 1; b < hosts.Count; b++)
            {
                var (hostA, hostB) = (hosts[a], hosts[b]);
                if (hostA.Node is null || hostB.Node is null || sim.PairChecked(a, b) == (hostA.Version, hostB.Version))
                {
                    continue;
                }

                CheckPair(sim, hostA, hostB);
                sim.PairChecked(a, b) = (hostA.Version, hostB.Version);
            }
        }
    }

    private static void CheckPair(ClusterSimulator sim, SimHost hostA, SimHost hostB)
    {
        // Overlap first, views only then: computing a view costs more, and most pairs never overlap.
        if (Clash(hostA.Kernel, hostB.Kernel) is { } clash
            && Contains(hostA.View(sim.Now), hostB.Priority) && Contains(hostB.View(sim.Now), hostA.Priority))
        {
            sim.Fail($"{hostA.Name} and {hostB.Name} count each other and {clash} {Views(sim, hostA, hostB)}");
        }
    }

    /// <summary>What two hosts both own, if anything.</summary>
    private static string? Clash(Ownership a, Ownership b)
    {
        for (var r = 0; r < a.Rules.Count; r++)
        {
            if (Overlap(a.Rules[r].Buckets, b.Rules[r].Buckets))
            {
                return $"both own buckets [{string.Join(",", a.Rules[r].Buckets.Intersect(b.Rules[r].Buckets))}] of rule {r}";
            }

            if (a.Rules[r].HandlesSingle && b.Rules[r].HandlesSingle)
            {
                return $"both handle single-host rule {r}";
            }
        }

        return a.IsDefaultHost && b.IsDefaultHost ? "are both the default host" : null;
    }

    /// <summary>
    /// One host on its own: owned and kept never overlap; a stopped or suspended host holds nothing;
    /// only a started participant owns, and only within its share of the map it adopted.
    /// </summary>
    private static void CheckLocal(ClusterSimulator sim, SimHost host, ConvergenceNode node, Ownership own)
    {
        if (node.State is MemberState.Stopped or MemberState.Suspended && (OwnsAnything(own) || KeepsAnything(own)))
        {
            sim.Fail($"{host.Name} is {node.State} but holds {SimDescribe.Node(node)}");
        }

        if (OwnsAnything(own) && (!node.IsParticipant || node.State != MemberState.Started || node.Map is null))
        {
            sim.Fail($"{host.Name} owns while not a started participant: {SimDescribe.Node(node)}");
        }

        for (var r = 0; r < own.Rules.Count; r++)
        {
            var rule = own.Rules[r];
            if (Overlap(rule.Buckets, rule.KeptBuckets) || (rule.HandlesSingle && rule.KeepsSingle))
            {
                sim.Fail($"{host.Name} both owns and keeps in rule {r}: {SimDescribe.Node(node)}");
            }

            if ((rule.Buckets.Count > 0 || rule.HandlesSingle) && !node.Rules[r].Serving)
            {
                sim.Fail($"{host.Name} owns in rule {r}, which it does not serve ({node.Rules[r].State})");
            }

            if (!WithinShare(rule, node.Map?.Rules[r], host.Priority, Inherited(sim, host, node).Select(m => m.Rules[r]).ToList()))
            {
                sim.Fail($"{host.Name} owns outside its share of its map e{SimCluster.Epoch(node.Adopted.Epoch)} in rule {r}: {SimDescribe.Node(node)}");
            }
        }

        if (own.IsDefaultHost && own.KeepsDefault)
        {
            sim.Fail($"{host.Name} both owns and keeps the default");
        }

        if (own.IsDefaultHost && node.Map!.DefaultHost != host.Priority && !Inherited(sim, host, node).Any(m => m.DefaultHost == host.Priority))
        {
            sim.Fail($"{host.Name} is the default host outside its map e{SimCluster.Epoch(node.Adopted.Epoch)}");
        }
    }

    /// <summary>
    /// For each peer the host has taken over, the part of the map of its proposal without that peer
    /// which was the peer's and is the host's: what a takeover may add to the host's share
    /// (docs/convergence.md, "Takeover"). Computed here from the proposal, not asked of the node;
    /// a peer the host still counts may not be taken over.
    /// </summary>
    private static List<ClusterMap> Inherited(ClusterSimulator sim, SimHost host, ConvergenceNode node)
    {
        var result = new List<ClusterMap>();
        var view = node.View(sim.Now);
        foreach (var peer in node.TakenOver)
        {
            if (Contains(view, peer) || node.Map is not { } map || !node.Adopted.Members.Any(m => m.Priority == peer))
            {
                sim.Fail($"{host.Name} holds a takeover of h{peer}, which it counts or which is not in its map: {SimDescribe.Node(node)}");
            }

            var without = SimCluster.MapOf(node.Adopted with { Members = node.Adopted.Members.Where(m => m.Priority != peer).ToArray() });
            var inherited = node.Map!.Rules.Zip(without.Rules, (before, after) => Inherit(before, after, peer, host.Priority)).ToArray();
            result.Add(new ClusterMap(inherited, node.Map.DefaultHost == peer ? without.DefaultHost : 0));
        }

        return result;
    }

    /// <summary>The allocation that gives <paramref name="me"/> exactly what it inherits of <paramref name="peer"/>'s part of a rule.</summary>
    private static RuleAllocation Inherit(RuleAllocation before, RuleAllocation after, int peer, int me)
    {
        if (before.Filtering == OpenNlb.Core.Configuration.FilteringMode.Single)
        {
            return RuleAllocation.Single(before.SingleOwner == peer && after.SingleOwner == me ? me : 0);
        }

        if (before.Filtering != OpenNlb.Core.Configuration.FilteringMode.Multiple)
        {
            return before;
        }

        var owners = new byte[before.BucketCount];
        for (var b = 0; b < owners.Length; b++)
        {
            owners[b] = (byte)(before.Owners[b] == peer && after.Owners[b] == me ? me : 0);
        }

        return RuleAllocation.Multiple(owners);
    }

    public static bool OwnsAnything(Ownership own) => own.IsDefaultHost || own.Rules.Any(r => r.HandlesSingle || r.Buckets.Count > 0);

    public static bool KeepsAnything(Ownership own) => own.KeepsDefault || own.Rules.Any(r => r.KeepsSingle || r.KeptBuckets.Count > 0);

    /// <summary>Whether two ascending bucket lists share a bucket (a merge over arrays: this runs after every event).</summary>
    private static bool Overlap(IReadOnlyList<int> first, IReadOnlyList<int> second)
    {
        ReadOnlySpan<int> a = first as int[] ?? first.ToArray();
        ReadOnlySpan<int> b = second as int[] ?? second.ToArray();
        for (int i = 0, j = 0; i < a.Length && j < b.Length;)
        {
            if (a[i] == b[j])
            {
                return true;
            }

            if (a[i] < b[j])
            {
                i++;
            }
            else
            {
                j++;
            }
        }

        return false;
    }

    /// <summary>Whether what a host owns of one rule is its share of <paramref name="map"/>'s allocation of that rule.</summary>
    private static bool WithinShare(RuleOwnership owned, RuleAllocation? map, int priority, List<RuleAllocation> inherited)
    {
        if (map is null)
        {
            return owned.Buckets.Count == 0 && !owned.HandlesSingle;
        }

        var owners = map.Owners;
        foreach (var bucket in owned.Buckets as int[] ?? owned.Buckets.ToArray())
        {
            if (owners[bucket] != priority && !inherited.Any(i => i.Owners[bucket] == priority))
            {
                return false;
            }
        }

        return !owned.HandlesSingle || map.SingleOwner == priority || inherited.Any(i => i.SingleOwner == priority);
    }

    private static bool Contains(IReadOnlyList<int> view, int priority)
    {
        for (var i = 0; i < view.Count; i++)
        {
            if (view[i] == priority)
            {
                return true;
            }
        }

        return false;
    }

    private static string Views(ClusterSimulator sim, SimHost a, SimHost b) =>
        $"({a.Name} e{SimCluster.Epoch(a.Node!.Adopted.Epoch)} {SimDescribe.Members(a.Node.Adopted)} view [{string.Join(",", a.Node.View(sim.Now))}], "
        + $"{b.Name} e{SimCluster.Epoch(b.Node!.Adopted.Epoch)} {SimDescribe.Members(b.Node.Adopted)} view [{string.Join(",", b.Node.View(sim.Now))}]; "
        + $"network {sim.Network})";
}
