using System.Net;
using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Hashing;

namespace OpenNlb.Lab;

/// <summary>
/// The pure model's answer to "which host owns this flow", for a lab whose hosts use the default
/// per-rule settings. Tests and the demo hold the kernel to it, flow by flow.
/// </summary>
public sealed class LabModel
{
    private readonly ClusterConfig _cluster;
    private readonly ClusterMap _map;
    private readonly uint _seed;

    public LabModel(LabHandle lab, IEnumerable<int> liveHosts)
    {
        _cluster = NlbdConfigWriter.Build(lab.Name, lab.Mode, 1).Cluster;
        _seed = HashSeed.ForCluster(_cluster.Name);
        var members = liveHosts
            .Select(h => new Member(h, _cluster.PortRules.Select(_ => new MemberRule(null, h)).ToList()))
            .ToList();
        _map = BucketAllocator.Allocate(_cluster, members);
    }

    public string OwnerOf(string ruleName, IPAddress client, int clientPort)
    {
        var index = _cluster.PortRules.Select(r => r.Name).ToList().IndexOf(ruleName);
        var rule = _cluster.PortRules[index];
        var bucket = FlowHash.Bucket(rule.Affinity, client, (ushort)clientPort, _seed, BucketAllocator.BucketCount);
        return LabNames.Host(_map.Rules[index].OwnerOf(bucket));
    }
}
