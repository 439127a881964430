using System.Net;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.DataPlane;
using OpenNlb.Core.Hashing;

namespace OpenNlb.Core.Query;

/// <summary>
/// Where the kernel puts a flow: its port rule (null: no rule covers it, the default host's) and,
/// for a multiple-host rule, its bucket. The same decision as the ruleset's, from the hash model.
/// </summary>
public readonly record struct FlowPlace(int? Rule, int? Bucket)
{
    public static FlowPlace Of(DataPlaneSpec spec, Protocol protocol, IPAddress client, int clientPort, IPAddress vip, int vipPort)
    {
        foreach (var (rule, index) in RuleOrder.Evaluation(spec.Cluster))
        {
            if ((rule.Vip is null || rule.Vip.Equals(vip))
                && (rule.Protocol == Protocol.Both || rule.Protocol == protocol)
                && rule.Ports.Contains(vipPort))
            {
                return rule.Filtering == FilteringMode.Multiple
                    ? new FlowPlace(index, FlowHash.Bucket(rule.Affinity, client, (ushort)clientPort, spec.HashSeed, spec.BucketCount))
                    : new FlowPlace(index, null);
            }
        }

        return new FlowPlace(null, null);
    }

    /// <summary>The bucket of a client (or client network) under a rule with affinity: it does not depend on the port.</summary>
    public static int ClientBucket(DataPlaneSpec spec, int rule, IPAddress client) =>
        FlowHash.Bucket(spec.Cluster.PortRules[rule].Affinity, client, 0, spec.HashSeed, spec.BucketCount);
}
