namespace OpenNlb.Core.DataPlane;

/// <summary>
/// The buckets this host would inherit if <see cref="Peer"/> died (per port rule, sorted; empty for
/// rules that are not multiple-host), held in the kernel ahead of time so that taking them is one
/// small transaction instead of thousands of map elements (docs/convergence.md, "Takeover").
/// <see cref="Active"/>: the peer is gone and this host accepts new flows in those buckets.
/// </summary>
public sealed record Standby(int Peer, IReadOnlyList<IReadOnlyList<int>> Buckets, bool Active)
{
    public bool SameBuckets(Standby other) =>
        Buckets.Count == other.Buckets.Count && Buckets.Zip(other.Buckets).All(p => p.First.SequenceEqual(p.Second));

    public bool Equals(Standby? other) => other is not null && Peer == other.Peer && Active == other.Active && SameBuckets(other);

    public override int GetHashCode() => HashCode.Combine(Peer, Active, Buckets.Count);

    /// <summary>This peer's buckets of one rule, or none.</summary>
    public IReadOnlyList<int> Of(int rule) => rule < Buckets.Count ? Buckets[rule] : [];
}
