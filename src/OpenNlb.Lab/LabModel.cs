using System.Net;
using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Hashing;

namespace OpenNlb.Lab;

/// <summary>
/// The pure model's answer to "which host owns this flow", for a lab whose members are the given
/// hosts with the default per-rule settings, or with a load weight changed (<see cref="WithWeight"/>).
/// Tests, the demo and the benchmark hold the kernel to it, flow by flow.
/// </summary>
public sealed class LabModel
{
    private readonly ClusterConfig _cluster;
    private readonly IReadOnlyList<Member> _members;
    private readonly ClusterMap _map;
    private readonly uint _seed;

    public LabModel(LabHandle lab, IEnumerable<int> liveHosts)
        : this(NlbdConfigWriter.Build(lab.Name, lab.Mode, 1).Cluster, liveHosts.Order().Select(h => Default(lab, h)).ToList())
    {
    }

    private LabModel(ClusterConfig cluster, IReadOnlyList<Member> members)
    {
        _cluster = cluster;
        _members = members;
        _seed = HashSeed.ForCluster(_cluster.Name);
        _map = BucketAllocator.Allocate(_cluster, members);
    }

    /// <summary>The members, in ascending priority.</summary>
    public IReadOnlyList<int> Members => [.. _members.Select(m => m.Priority)];

    /// <summary>This model with <paramref name="host"/>'s load weight for <paramref name="rule"/> set (what `weight` does).</summary>
    public LabModel WithWeight(int host, string rule, int weight)
    {
        var index = RuleIndex(rule);
        return new LabModel(_cluster, _members
            .Select(m => m.Priority != host ? m : m with { Rules = [.. m.Rules.Select((r, i) => i == index ? r with { LoadWeight = weight } : r)] })
            .ToList());
    }

    public string OwnerOf(string ruleName, IPAddress client, int clientPort)
    {
        var index = RuleIndex(ruleName);
        var bucket = FlowHash.Bucket(_cluster.PortRules[index].Affinity, client, (ushort)clientPort, _seed, BucketAllocator.BucketCount);
        return LabNames.Host(_map.Rules[index].OwnerOf(bucket));
    }

    /// <summary>How many buckets of a multiple-host rule the host owns in this map.</summary>
    public int BucketCountOf(int host, string ruleName) => _map.Rules[RuleIndex(ruleName)].CountOf(host);

    private int RuleIndex(string ruleName)
    {
        for (var i = 0; i < _cluster.PortRules.Count; i++)
        {
            if (_cluster.PortRules[i].Name == ruleName)
            {
                return i;
            }
        }

        throw new ArgumentException($"the lab has no port rule '{ruleName}'", nameof(ruleName));
    }

    /// <summary>What a lab host advertises with its generated configuration (<see cref="HostRules"/>).</summary>
    private static Member Default(LabHandle lab, int host) => HostRules.MemberOf(NlbdConfigWriter.Build(lab.Name, lab.Mode, host));
}
