using System.Globalization;
using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.DataPlane;
using OpenNlb.Core.Hashing;

namespace OpenNlb.Core.Query;

/// <summary>
/// Answers "which host owns this flow" from the configuration and the cluster map, the way the
/// kernel decides it: the first matching port rule in <see cref="RuleOrder"/>, then that rule's
/// filtering mode, hash and bucket; traffic no rule covers goes to the default host.
/// </summary>
public static class OwnerQuery
{
    public static OwnerAnswer Explain(ClusterConfig cluster, ClusterMap map, FlowQuery flow)
    {
        if (!cluster.Vips.Contains(flow.Vip))
        {
            return new OwnerAnswer(null, null, $"{flow.Vip} is not a VIP of cluster '{cluster.Name}': no host filters it", null, null);
        }

        var match = RuleOrder.Evaluation(cluster).FirstOrDefault(r => Covers(r.Rule, flow));
        if (match.Rule is null)
        {
            return new OwnerAnswer(
                map.DefaultHost == 0 ? null : map.DefaultHost,
                null,
                $"no port rule covers {flow.Protocol.ToString().ToLowerInvariant()} port {flow.Port}: the default host (best host priority) takes it",
                null,
                null);
        }

        var (rule, index) = match;
        switch (rule.Filtering)
        {
            case FilteringMode.Disabled:
                return new OwnerAnswer(null, rule.Name, $"port rule '{rule.Name}' is disabled: every host drops it", null, null);
            case FilteringMode.Single:
                var single = map.Rules[index].SingleOwner;
                return new OwnerAnswer(single == 0 ? null : single, rule.Name, $"port rule '{rule.Name}' is single-host: the live host with the best handling priority takes it", null, null);
            default:
                var bucket = FlowHash.Bucket(rule.Affinity, flow.Client, (ushort)flow.ClientPort, HashSeed.ForCluster(cluster.Name), BucketAllocator.BucketCount);
                var owner = map.Rules[index].OwnerOf(bucket);
                var l4 = flow.Protocol == Protocol.Udp ? Protocol.Udp : Protocol.Tcp;
                var expression = string.Create(
                    CultureInfo.InvariantCulture,
                    $"jhash {FlowHash.NftKeyExpression(rule.Affinity, flow.Client.AddressFamily, l4)} mod {BucketAllocator.BucketCount} seed 0x{HashSeed.ForCluster(cluster.Name):x8}");
                return new OwnerAnswer(
                    owner == 0 ? null : owner,
                    rule.Name,
                    $"port rule '{rule.Name}' is multiple-host with affinity {rule.Affinity.ToString().ToLowerInvariant()}: the bucket's owner takes it",
                    bucket,
                    expression);
        }
    }

    private static bool Covers(PortRule rule, FlowQuery flow) =>
        (rule.Vip is null || rule.Vip.Equals(flow.Vip))
        && (rule.Protocol == Protocol.Both || rule.Protocol == flow.Protocol)
        && rule.Ports.Contains(flow.Port);
}
