using System.Collections.Immutable;
using System.Globalization;

namespace OpenNlb.Core.Membership;

/// <summary>
/// The hosts this host has heard from, as an immutable value: each heartbeat and each tick gives a
/// new table. Time is a millisecond count passed in, never read here.
/// </summary>
public sealed record MembershipTable(ImmutableSortedDictionary<int, Peer> Peers)
{
    public static MembershipTable Empty { get; } = new(ImmutableSortedDictionary<int, Peer>.Empty);

    public (MembershipTable Next, Observation Outcome) Observe(Heartbeat hb, LocalIdentity self, long nowMs)
    {
        if (hb.ClusterId != self.ClusterId)
        {
            return (this, Observation.OtherCluster);
        }

        if (hb.HostPriority == self.Priority)
        {
            return hb.Incarnation == self.Incarnation
                ? (this, Observation.Self)
                : (this, Observation.DuplicatePriority);
        }

        Peers.TryGetValue(hb.HostPriority, out var known);
        if (known is not null && IsStale(known, hb))
        {
            return (this, Observation.Stale);
        }

        string? excluded = null;
        if (hb.Fingerprint != self.Fingerprint || hb.Rules.Count != self.RuleCount)
        {
            excluded = string.Create(
                CultureInfo.InvariantCulture,
                $"cluster configuration differs (fingerprint {hb.Fingerprint:x16}, ours {self.Fingerprint:x16})");
        }

        var peer = new Peer(hb.HostPriority, hb.Incarnation, hb.Sequence, nowMs, hb.State, hb.Rules, excluded);
        var next = this with { Peers = Peers.SetItem(hb.HostPriority, peer) };
        var wasMember = known is { State: MemberState.Started, Excluded: null } && known.Incarnation == hb.Incarnation;
        var outcome = excluded is not null ? Observation.Mismatched
            : hb.State == MemberState.Stopped ? Observation.Stopped
            : wasMember ? Observation.Refreshed
            : Observation.Joined;
        return (next, outcome);
    }

    /// <summary>Forgets peers not heard from within the detection time.</summary>
    public MembershipTable Expire(long nowMs, long detectionMs)
    {
        var dead = Peers.Values.Where(p => nowMs - p.LastHeardMs > detectionMs).Select(p => p.Priority).ToList();
        return dead.Count == 0 ? this : this with { Peers = Peers.RemoveRange(dead) };
    }

    /// <summary>When the next member falls silent for longer than the detection time, if nothing more is heard.</summary>
    public long? NextExpiryMs(long detectionMs) =>
        Peers.IsEmpty ? null : Peers.Values.Min(p => p.LastHeardMs) + detectionMs + 1;

    /// <summary>Peers that count as cluster members: heard recently, started, configuration matching.</summary>
    public IEnumerable<Peer> Members(long nowMs, long detectionMs) =>
        Peers.Values.Where(p => p.State == MemberState.Started && p.Excluded is null && nowMs - p.LastHeardMs <= detectionMs);

    private static bool IsStale(Peer known, Heartbeat hb) =>
        hb.Incarnation < known.Incarnation || (hb.Incarnation == known.Incarnation && hb.Sequence <= known.Sequence);
}
