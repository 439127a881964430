using OpenNlb.Core.Convergence;
using OpenNlb.Core.DataPlane;

namespace OpenNlb.Daemon;

/// <summary>What this host's kernel holds in its kept buckets: the flows to hand over, and which kept buckets still serve something.</summary>
internal sealed class FlowInventory(DataPlaneSpec spec)
{
    public DataPlaneSpec Spec => spec;

    public Task ForgetUdpAsync(CancellationToken ct) => Task.CompletedTask;

    public Task<(IReadOnlyList<HandoverFlow> Flows, IReadOnlyList<HandoverClient> Clients)> CollectHandoverAsync(Ownership kept) =>
        Task.FromResult<(IReadOnlyList<HandoverFlow>, IReadOnlyList<HandoverClient>)>(([], []));

    public Task<KeptUsage> KeptUsageAsync(Ownership current) =>
        Task.FromResult(new KeptUsage(current.Rules.Select(r => (IReadOnlySet<int>)r.KeptBuckets.ToHashSet()).ToList(), current.Rules.Select(r => r.KeepsSingle).ToList(), current.KeepsDefault));
}

internal static class OwnershipExtensions
{
    public static bool KeepsAnything(this Ownership o) => o.KeepsDefault || o.Rules.Any(r => r.KeepsSingle || r.KeptBuckets.Count > 0);
}
