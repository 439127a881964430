using System.Globalization;
using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.DataPlane;
using OpenNlb.Core.Hashing;

namespace OpenNlb.Core.Query;

/// <summary>
/// Builds `nlb owner`'s answer: <see cref="OwnerQuery"/>'s decision (rule, bucket, the map's owner)
/// in sentences, and, asked of a running host, what that host does with the flow and why: it owns
/// the bucket, keeps it from an earlier map (hand-over), or neither; the flow or client is one
/// another host keeps; the host or the rule is stopped, drained or disabled.
/// </summary>
public static class OwnerExplainer
{
    /// <summary>From a configuration and the members alone, as every host would compute it.</summary>
    public static OwnerReport Offline(ClusterConfig cluster, IReadOnlyList<Member> members, FlowQuery flow)
    {
        var map = BucketAllocator.Allocate(cluster, members);
        var sorted = members.Select(m => m.Priority).Order().ToList();
        return Build(cluster, map, sorted, epoch: null, flow, local: null);
    }

    /// <summary>What a running host answers: its adopted map, and what its kernel holds for the flow.</summary>
    public static OwnerReport Live(ClusterConfig cluster, HostView view, FlowQuery flow, FlowFacts facts)
    {
        // Before a map is adopted no host takes new flows: an allocation over no members says so.
        var map = view.Map ?? BucketAllocator.Allocate(cluster, []);
        return Build(cluster, map, view.Members, view.Epoch, flow, (view, facts, view.Map is null));
    }

    private static OwnerReport Build(ClusterConfig cluster, ClusterMap map, IReadOnlyList<int> members, ulong? epoch, FlowQuery flow, (HostView View, FlowFacts Facts, bool NoMap)? local)
    {
        var answer = OwnerQuery.Explain(cluster, map, flow);
        var index = answer.RuleName is null ? (int?)null : Index(cluster, answer.RuleName);
        var rule = index is { } i ? cluster.PortRules[i] : null;
        var isVip = cluster.Vips.Contains(flow.Vip);
        var why = new List<string>();
        var mapText = local is { NoMap: true } ? "no map adopted yet" : epoch is { } e ? $"map epoch {EpochText(e)}" : $"the map of members {Join(members)}";

        if (!isVip)
        {
            why.Add(answer.Reason);
        }
        else if (local is { NoMap: true })
        {
            why.Add("this host has adopted no map yet: no host takes new flows until the cluster has converged");
        }
        else if (rule is null)
        {
            why.Add(answer.Owner is { } d
                ? $"no port rule covers {Proto(flow)} port {N(flow.Port)} on {flow.Vip}: the default host, host {N(d)}, takes it in {mapText} (the member with the best host priority)"
                : $"no port rule covers {Proto(flow)} port {N(flow.Port)} on {flow.Vip}, and there is no default host in {mapText}: no member");
        }
        else if (rule.Filtering == FilteringMode.Disabled)
        {
            why.Add($"port rule {rule.Name} has filtering disabled: every host drops its traffic");
        }
        else if (rule.Filtering == FilteringMode.Single)
        {
            why.Add(answer.Owner is { } s
                ? $"port rule {rule.Name} is single-host: host {N(s)} serves it in {mapText} (the member with the best handling priority for it)"
                : $"port rule {rule.Name} is single-host and no member serves it in {mapText}");
        }
        else
        {
            why.Add(answer.Owner is { } o
                ? $"bucket {N(answer.Bucket!.Value)} of rule {rule.Name}, owned by host {N(o)} in {mapText}"
                : $"bucket {N(answer.Bucket!.Value)} of rule {rule.Name} is owned by no host in {mapText}: every member's load weight for the rule is 0");
            why.Add(AffinityText(rule, flow));
        }

        LocalVerdict? verdict = null;
        if (local is { } l && isVip)
        {
            verdict = Verdict(l.View, l.Facts, index, answer.Bucket);
            why.AddRange(LocalSentences(cluster, l.View, verdict, index, answer, flow));
        }

        return new OwnerReport
        {
            Client = flow.Client.ToString(),
            ClientPort = flow.ClientPort,
            Vip = flow.Vip.ToString(),
            Port = flow.Port,
            Protocol = Proto(flow),
            Rule = rule?.Name,
            Filtering = rule is null ? null : ConfigNames.Filtering.NameOf(rule.Filtering),
            Affinity = rule is { Filtering: FilteringMode.Multiple } ? ConfigNames.Affinities.NameOf(rule.Affinity) : null,
            Bucket = answer.Bucket,
            Hash = answer.HashExpression,
            Owner = answer.Owner,
            Epoch = epoch,
            Members = members,
            Reason = answer.Reason,
            ThisHost = verdict,
            Why = why,
        };
    }

    private static LocalVerdict Verdict(HostView view, FlowFacts facts, int? rule, int? bucket)
    {
        var own = view.Ownership;
        var role = rule switch
        {
            null => own.IsDefaultHost ? "owns" : own.KeepsDefault ? "keeps" : "none",
            { } r when bucket is { } b => own.Rules[r].Buckets.Contains(b) ? "owns" : own.Rules[r].KeptBuckets.Contains(b) ? "keeps" : "none",
            { } r => own.Rules[r].HandlesSingle ? "owns" : own.Rules[r].KeepsSingle ? "keeps" : "none",
        };
        var ruleState = rule is { } i && i < view.RuleStates.Count ? view.RuleStates[i].ToString().ToLowerInvariant() : null;
        return new LocalVerdict(view.Host, view.State, role, ruleState, facts.ForeignFlow, facts.ForeignClient, facts.AffinityClient, facts.Connection);
    }

    private static IEnumerable<string> LocalSentences(ClusterConfig cluster, HostView view, LocalVerdict v, int? index, OwnerAnswer answer, FlowQuery flow)
    {
        var me = $"this host ({N(view.Host)})";
        switch (view.State)
        {
            case "stopped" or "suspended":
                yield return $"{me} is {view.State}: it takes no traffic";
                break;
            case "mismatched" or "duplicate-priority":
                yield return $"{me} is kept out of the cluster ({view.State}): it takes no traffic";
                break;
            case "draining":
                yield return $"{me} is draining (drainstop): it takes no new flows and serves the ones it has";
                break;
            case "converging":
                yield return $"{me} is converging: its share may not be claimed yet";
                break;
        }

        var rule = index is { } i ? cluster.PortRules[i] : null;
        if (rule is not null && v.RuleState is "disabled")
        {
            yield return $"port rule {rule.Name} is disabled on {me}: it takes none of the rule's traffic";
        }
        else if (rule is not null && v.RuleState is "draining")
        {
            yield return $"port rule {rule.Name} is draining on {me}: it takes no new flows of the rule and serves the ones it has";
        }

        var what = rule is null ? "the default host's traffic"
            : answer.Bucket is { } b ? $"bucket {N(b)}"
            : $"rule {rule.Name}";
        yield return v.Role switch
        {
            "keeps" or "none" when answer.Owner == view.Host => $"the map gives {what} to {me}, which claims it once the hosts that had it have let it go; until then it {(v.Role == "keeps" ? "serves only the flows it had there" : "drops the flow's packets")}",
            "owns" when answer.Owner == view.Host || rule?.Filtering != FilteringMode.Multiple => $"{me} owns {what}: it takes its new flows",
            "owns" => $"{me} still owns {what} while the cluster converges; the map gives it to {HostText(answer.Owner)}",
            "keeps" => $"{me} keeps {what} from an earlier map: it serves the flows it had there (hand-over); new ones go to {HostText(answer.Owner)}",
            _ => $"{me} neither owns nor keeps {what}: it drops the flow's packets",
        };

        if (v.ForeignFlow)
        {
            yield return $"the UDP flow {flow.Client}:{N(flow.ClientPort)} is one another host keeps (handed over at a map change): {me} drops its packets until it has been idle a while";
        }

        if (v.ForeignClient)
        {
            yield return $"client {flow.Client} is one another host keeps under extended affinity: {me} refuses its new connections until it has been idle {N(rule?.AffinityTimeoutSeconds ?? 0)} s";
        }

        if (v.AffinityClient)
        {
            yield return v.Role == "keeps"
                ? $"client {flow.Client} is an extended-affinity client of {me}: its new connections still come here until it has been idle {N(rule?.AffinityTimeoutSeconds ?? 0)} s"
                : $"client {flow.Client} is an extended-affinity client of {me}";
        }

        if (v.Connection is { } state)
        {
            yield return $"{me} has a conntrack entry for this flow ({state}): it is serving it";
        }
    }

    private static string AffinityText(PortRule rule, FlowQuery flow) => rule.Affinity switch
    {
        Affinity.None => $"affinity none hashes the client address and port ({flow.Client}:{N(flow.ClientPort)}): each connection of a client may go to another host",
        Affinity.Network => $"affinity network hashes the client's network only ({new IPNetworkAddress(flow.Client, FlowHash.NetworkPrefixLength(flow.Client.AddressFamily)).Network}): every client of it goes to the same host",
        _ => $"affinity single hashes the client address only ({flow.Client}): every connection of this client goes to the same host",
    };

    private static int Index(ClusterConfig cluster, string name) =>
        cluster.PortRules.Select((r, i) => (r, i)).First(x => string.Equals(x.r.Name, name, StringComparison.Ordinal)).i;

    private static string HostText(int? host) => host is { } h ? $"host {N(h)}" : "no host";

    private static string Proto(FlowQuery flow) => flow.Protocol == Protocol.Udp ? "udp" : "tcp";

    /// <summary>"5/2": the map's counter and the host that issued it, as query shows it.</summary>
    public static string EpochText(ulong epoch) => string.Create(CultureInfo.InvariantCulture, $"{epoch >> 8}/{epoch & 0xFF}");

    private static string Join(IEnumerable<int> hosts) => string.Join(' ', hosts.Select(N));

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>What a running host knows that the explanation needs: its state, its adopted map and what it enforces.</summary>
/// <param name="State">As query shows it: converging, converged, converged-default, draining, stopped, ...</param>
/// <param name="Map">The adopted map; null before the first.</param>
public sealed record HostView(
    int Host,
    string State,
    ulong Epoch,
    IReadOnlyList<int> Members,
    ClusterMap? Map,
    Ownership Ownership,
    IReadOnlyList<RuleState> RuleStates);

/// <summary>What the host's kernel holds about one flow (read by nlbd; all false when not looked up).</summary>
public sealed record FlowFacts(bool ForeignFlow, bool ForeignClient, bool AffinityClient, string? Connection)
{
    public static FlowFacts None { get; } = new(false, false, false, null);
}
