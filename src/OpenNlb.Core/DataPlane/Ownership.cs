namespace OpenNlb.Core.DataPlane;

/// <summary>
/// What this host accepts, which is all the kernel needs to know: for each port rule (in
/// configuration order) the buckets whose new flows it takes and those whose old flows it keeps,
/// and the same for the traffic no rule covers (the default host's). Compared between two versions
/// to update only what changed. <see cref="Standbys"/>: the buckets it would inherit from each peer
/// (by peer priority), and which of those it has taken over.
/// </summary>
public sealed record Ownership(IReadOnlyList<RuleOwnership> Rules, bool IsDefaultHost, bool KeepsDefault = false, IReadOnlyList<Standby>? Standbys = null)
{
    public IReadOnlyList<Standby> StandbyPeers => Standbys ?? [];

    /// <summary>Owns nothing: what a host installs while it converges or is stopped.</summary>
    public static Ownership Nothing(int ruleCount) =>
        new(Enumerable.Repeat(RuleOwnership.None, ruleCount).ToArray(), IsDefaultHost: false);

    /// <summary>Takes no new flow anywhere: no bucket, single-host rule, default or takeover owned (what it keeps aside).</summary>
    public bool OwnsNothingNew =>
        !IsDefaultHost && Rules.All(r => r.Buckets.Count == 0 && !r.HandlesSingle) && StandbyPeers.All(p => !p.Active);

    public bool Equals(Ownership? other) =>
        other is not null && IsDefaultHost == other.IsDefaultHost && KeepsDefault == other.KeepsDefault
        && Rules.SequenceEqual(other.Rules) && StandbyPeers.SequenceEqual(other.StandbyPeers);

    public override int GetHashCode() => HashCode.Combine(IsDefaultHost, Rules.Count);
}
