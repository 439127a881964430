using System.Globalization;
using OpenNlb.Core.Allocation;
using OpenNlb.Core.Membership;

namespace OpenNlb.Core.Convergence;

/// <summary>The protocol proper: who takes part, which map is adopted, when a share may be claimed.</summary>
public sealed partial class ConvergenceNode
{
    /// <summary>Re-evaluates everything after any input. Order matters: release before claim.</summary>
    private void Update(long nowMs)
    {
        var participants = Participants(nowMs);
        (_keptOut, _keptOutReason) = KeptOut(nowMs);
        var participant = _keptOut is null
            && _state is MemberState.Started or MemberState.Draining
            && nowMs >= _listenUntil
            && !AwaitingToHear(nowMs);
        if (participant != _participant)
        {
            _participant = participant;
            _sendNow = true;
        }

        var counted = _counted;
        _counted = [.. participants.Keys];
        if (!participant)
        {
            // Holds on to the flows it has (a restart, a duplicate, a mismatch), takes nothing new.
            ForgetTakeovers();
            ForgetClaim();
            if (_share.OwnsAnything)
            {
                _share.Release(Share.Nothing(_rules.Length));
            }

            _claimDirty = true;
            return;
        }

        // Adopt the highest epoch any participant advertises: epochs only grow, which is what makes
        // a claim safe (docs/convergence.md).
        var best = participants.Values.Select(p => p.Latest.AdoptedOrNone).Append(_adopted).MaxBy(p => p.Epoch)!;
        if (best.Epoch > _adopted.Epoch)
        {
            Adopt(best);
        }

        // A peer taken over that takes part again holds its share of the map we both hold: give
        // its buckets back before it can hear that we count it (see AllAgree).
        if (_takenOver.RemoveWhere(participants.ContainsKey) > 0)
        {
            _standbys = null;
            _shareDirty = true;
        }

        // Before any new map: a silent member's buckets are served from the map this host holds.
        RefreshHeirs();
        TakeOver(participants);

        if (Coordinator(participants, nowMs) == _me)
        {
            var desired = Desired(participants);
            if (!SameMembers(desired, _adopted.Members) && (_lastIssueMs is not { } last || nowMs - last >= _settings.PeriodMs)
                && !RecentlySilent(nowMs) && !AwaitingToCount(participants, nowMs))
            {
                _lastIssueMs = nowMs;
                Adopt(new Proposal(Proposal.MakeEpoch(_maxCounterSeen + 1, _me), desired));
            }
        }

        if (_state != MemberState.Started && _takenOver.Count > 0)
        {
            ForgetTakeovers();
        }

        // Releasing walks every bucket of every rule; the share only changes with the map, the
        // host's state or its rules, so it is done when one of them may have changed, not on
        // every heartbeat (an idle daemon spent a quarter of a core on it).
        if (_shareDirty)
        {
            _share.Release(CurrentShare());
            _shareDirty = false;
        }

        // A participant that was not counted at the last update and is on another proposal may have
        // claimed without us, as we may have claimed without it (a partition, lost heartbeats, a
        // start), and what it tells may predate that: two heartbeats that cross can both be older
        // than the claims. Own nothing until it advertises our proposal. The same when a
        // participant does not count us: it may have taken our buckets over (a one-way loss).
        if (participants.Values.Select(p => ReleaseCause(p, counted)).FirstOrDefault(c => c is not null) is { } cause)
        {
            if (_share.OwnsAnything)
            {
                ReleasesOfEverything++;
                LastReleaseOfEverything = cause;
            }

            ForgetTakeovers();
            ForgetClaim();
            _share.Release(Share.Nothing(_rules.Length));
            _claimDirty = true;
        }

        if (_state == MemberState.Draining && !_share.KeepsAnything && !_share.OwnsAnything)
        {
            StopNow();
            _participant = false;
            _sendNow = true;
            return;
        }

        if (_claimDirty && _map is not null && AllAgree(participants))
        {
            _share.Claim(CurrentShare());
            _shareDirty = true;
            _claimDirty = false;
            _departed = null;
            _claimed = (_adopted, participants.Values.Select(p => (p.Priority, p.Incarnation)).ToHashSet());
            _leftOnly = false;
            Convergences++;
        }
        else if (_claimDirty && _departed is { } departed && _state == MemberState.Started && MayClaimDeparted(participants, departed.Gone))
        {
            _share.ClaimAlso(CurrentShare().OnlyWhatWasOf(departed.Before, departed.Gone));
            _shareDirty = true;
            _departed = null;
            EarlyClaims++;
        }
    }

    /// <summary>
    /// Whether this host may claim, of the adopted map, the buckets of hosts that left since the
    /// map it claimed last, without waiting for the adopted map's hand-overs (docs/convergence.md,
    /// "Claiming a dead host's buckets"). Every participant advertises the adopted map or, without
    /// takeovers, the one this host claimed before, so claims under no other; it takes new flows at
    /// most in its share of the map before (its releases may not be written yet:
    /// <see cref="HeartbeatMayPrecedeReleases"/>) and of this one, and neither holds what this host
    /// claims here: the departed hosts' buckets were theirs before, and this map gives them out
    /// disjointly. (A takeover's heirs are computed from another map, so with takeovers every
    /// participant must have moved to this one, which ended its takeovers.) And each is one whose complete hand-over this
    /// host held when it claimed the map before: whatever such a host keeps in a departed host's
    /// buckets, it kept then and listed then (under that map it owned only its own share), and
    /// this host installed those entries as foreign flows and clients. The hand-overs of the new
    /// map list what the remaining hosts release now: their own buckets, which this waits for.
    /// </summary>
    private bool MayClaimDeparted(Dictionary<int, PeerRecord> participants, HashSet<int> gone) =>
        _claimed is { } claimed
        && gone.All(g => !participants.ContainsKey(g))
        && participants.Values.All(p =>
            (!TakeoverOn || CountsMe(p))
            && (p.Latest.AdoptedOrNone.Equals(_adopted) || (!TakeoverOn && p.Latest.AdoptedOrNone.Equals(claimed.Proposal)))
            && claimed.With.Contains((p.Priority, p.Incarnation)));

    /// <summary>
    /// The members of <paramref name="before"/> that <paramref name="after"/> lacks, if it lacks
    /// some, this host is not one of them, and the others are there with the same settings: the
    /// new map is the old one less hosts that left.
    /// </summary>
    private HashSet<int>? Departed(Proposal before, Proposal after)
    {
        var gone = before.Members.Select(m => m.Priority).Except(after.Members.Select(m => m.Priority)).ToHashSet();
        var stay = before.Members.Where(m => !gone.Contains(m.Priority)).ToList();
        return gone.Count > 0 && !gone.Contains(_me) && SameMembers(stay, after.Members) ? gone : null;
    }

    private void ForgetClaim()
    {
        _claimed = null;
        _departed = null;
        _leftOnly = false;
    }

    /// <summary>
    /// Takes the inherited buckets of every member of the adopted map that no longer takes part,
    /// at once, without waiting for a new map (docs/convergence.md, "Takeover"). Safe for the same
    /// reason as a claim: every participant advertises this map, so each owns at most its share of
    /// it, and the heirs of one peer's buckets are disjoint across hosts. The peer itself stopped
    /// taking new flows when its lease lapsed, a period before anyone can judge it silent.
    /// </summary>
    private void TakeOver(Dictionary<int, PeerRecord> participants)
    {
        if (!TakeoverOn || _state != MemberState.Started || _claimDirty || _map is null || !AllAgree(participants))
        {
            return;
        }

        var gone = _adopted.Members
            .Select(m => m.Priority)
            .Where(p => p != _me && !participants.ContainsKey(p) && !_takenOver.Contains(p) && _heirsFresh.Contains(p))
            .ToList();
        if (gone.Count == 0)
        {
            return;
        }

        _takenOver.UnionWith(gone);
        _standbys = null;
        _share.Claim(CurrentShare());
        _shareDirty = true;
        Takeovers++;
    }

    /// <summary>
    /// Computes the heirs of one more peer of the adopted map, once this host holds its share of it:
    /// an allocation each, so one per update keeps the loop short in a large cluster. With takeovers
    /// or without: without, they make the new map's claim of a dead peer's buckets one small
    /// transaction (docs/convergence.md, "Claiming through the heir sets").
    /// </summary>
    private void RefreshHeirs()
    {
        if (_map is null || !_participant || _claimDirty)
        {
            return;
        }

        foreach (var member in _adopted.Members)
        {
            if (member.Priority != _me && !_heirsFresh.Contains(member.Priority))
            {
                _heirs[member.Priority] = PeerHeirs.Of(_settings.Cluster, _adopted, _map, _me, member.Priority, _settings.BucketCount);
                _heirsFresh.Add(member.Priority);
                _standbys = null;
                return;
            }
        }

        if (_heirs.Count > _heirsFresh.Count)
        {
            foreach (var stale in _heirs.Keys.Where(p => !_heirsFresh.Contains(p)).ToList())
            {
                _heirs.Remove(stale);
            }

            _standbys = null;
        }
    }

    /// <summary>
    /// A member of the adopted map fell silent less than a period ago. The coordinator waits that
    /// period before it proposes the map without it, so that every survivor has judged it silent
    /// and taken its buckets over on the map they all hold: a survivor that adopts the new map
    /// first must claim its share of it in the slow way, map element by map element, and only
    /// once every other survivor advertises it.
    /// </summary>
    private bool RecentlySilent(long nowMs) => TakeoverOn && _adopted.Members.Any(m =>
        m.Priority != _me && SilentSince(m.Priority, nowMs) is { } since && nowMs - since < _settings.PeriodMs);

    /// <summary>When a peer became silent (its last heartbeat plus the detection time), if it is and none of its incarnations is live.</summary>
    private long? SilentSince(int priority, long nowMs) =>
        _peers.TryGetValue(priority, out var records) && records.Count > 0 && records.All(r => !r.IsLive(nowMs, _settings.DetectionMs))
            ? records.Max(r => r.LastHeardMs) + _settings.DetectionMs
            : null;

    private void ForgetTakeovers()
    {
        if (_takenOver.Count > 0)
        {
            _takenOver.Clear();
            _standbys = null;
            _shareDirty = true;
        }
    }

    /// <summary>Whether the cluster takes silent hosts over (cluster.heartbeat.takeover); else it waits for a new map, as before it had takeovers.</summary>
    private bool TakeoverOn => _settings.Cluster.Heartbeat.Takeover;

    /// <summary>Why <paramref name="p"/> makes this host own nothing until they agree (the rule above the call), or null.</summary>
    private string? ReleaseCause(PeerRecord p, HashSet<int> counted)
    {
        var map = p.Latest.AdoptedOrNone;
        return !counted.Contains(p.Priority) && !map.Equals(_adopted)
            ? $"host {p.Priority} is counted again and holds map {map.Counter}/{map.Issuer}, this host {_adopted.Counter}/{_adopted.Issuer}"
            : TakeoverOn && !CountsMe(p) ? $"host {p.Priority} does not count this host" : null;
    }

    /// <summary>The peer's latest heartbeat counts this host among the participants.</summary>
    private bool CountsMe(PeerRecord p) => (p.Latest.View & PeerRecord.Bit(_me)) != 0;

    private void Adopt(Proposal proposal)
    {
        ClusterMap map;
        try
        {
            map = BucketAllocator.Allocate(_settings.Cluster, proposal.Members, _settings.BucketCount);
        }
        catch (ArgumentException)
        {
            // An authenticated host sent a proposal the allocator refuses (a bug or a version
            // skew): not adopting it keeps this host's current, safe state.
            return;
        }

        // Straight from a map this host claimed to the same map less hosts that left: their
        // buckets may be claimed before this map's hand-overs are complete (MayClaimDeparted).
        _departed = !_claimDirty && _claimed?.Proposal.Equals(_adopted) == true && _map is { } before
            && Departed(_adopted, proposal) is { } gone
            ? (before, gone)
            : null;
        _leftOnly = _departed is not null;
        _adopted = proposal;
        _map = map;
        TrackCounter(proposal);
        _claimDirty = true;
        _sendNow = true;

        // What was taken over and is in the new share stays owned; the rest is released (kept).
        ForgetTakeovers();
        _heirsFresh.Clear();
        _share.Release(CurrentShare());
        _shareDirty = true;

        // The hand-over lists what this host keeps outside its share; with nothing kept it is
        // empty and needs no collection.
        _handoverChunks = _share.KeepsAnything ? null : [];
    }

    /// <summary>
    /// Every other participant counts this host, and advertises the adopted proposal and its
    /// complete hand-over for it. Counting: a peer that does not may have taken this host's buckets
    /// over, and gives them back only when it counts this host again.
    /// The whole proposal, not only its epoch: epoch counters start again with the daemon, so a
    /// restarted host that heard few others can reuse an epoch a stopped host still holds.
    /// </summary>
    private bool AllAgree(Dictionary<int, PeerRecord> participants) => participants.Values.All(p =>
        (!TakeoverOn || CountsMe(p))
        && p.Latest.AdoptedOrNone.Equals(_adopted)
        && p.Latest.HandoverEpoch == _adopted.Epoch
        && HandoverComplete(p));

    /// <summary>
    /// Converged, as <c>nlb query</c> says it: everyone agrees, and on the map the live hosts call
    /// for. Agreement alone is not enough: just after a host dies, the survivors still agree on
    /// the map that has it, and a host that called itself converged then made a failover look done
    /// before it began (found by the metrics test timing failovers).
    /// </summary>
    private bool Settled(Dictionary<int, PeerRecord> participants) =>
        AllAgree(participants) && SameMembers(Desired(participants), _adopted.Members);

    private bool HandoverComplete(PeerRecord p) =>
        p.Latest.HandoverChunks != Heartbeat.HandoverPending
        && _inbox.IsComplete(p.Priority, p.Incarnation, p.Latest.HandoverEpoch, p.Latest.HandoverChunks);

    private Share CurrentShare() => _map is null
        ? Share.Nothing(_rules.Length)
        : Share.Of(_map, _me, _rules, _state == MemberState.Started, _takenOver.Select(p => _heirs[p]));

    /// <summary>
    /// The coordinator proposes: the live participant with the best (lowest) priority, or a better
    /// host that is still listening after its start. Deferring to the latter is what keeps hosts
    /// started together from each claiming the whole cluster: each hears the others only as
    /// listeners, and without it each would find itself alone and coordinator. The deference
    /// lasts two detection times from the first heartbeat heard, long enough for any listener to
    /// finish, not forever (a host kept out for a reason this one cannot see never finishes).
    /// </summary>
    private int Coordinator(Dictionary<int, PeerRecord> participants, long nowMs)
    {
        var best = participants.Keys.Append(_me).Min();
        foreach (var (priority, records) in _peers)
        {
            if (priority < best && priority != _me && records.Any(r =>
                r.IsLive(nowMs, _settings.DetectionMs) && r.Excluded is null && !r.SaysParticipant
                && r.Latest.State == MemberState.Started && nowMs - r.FirstHeardMs < 2 * _settings.DetectionMs))
            {
                best = priority;
            }
        }

        return best;
    }

    /// <summary>The map input the coordinator wants: started participants with their current settings.</summary>
    private Member[] Desired(Dictionary<int, PeerRecord> participants)
    {
        var members = participants.Values
            .Where(p => p.Latest.State == MemberState.Started)
            .Select(p => new Member(p.Priority, p.Latest.Rules))
            .ToList();
        if (_state == MemberState.Started)
        {
            members.Add(new Member(_me, _rules.ToArray()));
        }

        return members.OrderBy(m => m.Priority).ToArray();
    }

    private static bool SameMembers(IReadOnlyList<Member> a, IReadOnlyList<Member> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Priority == p.Second.Priority && p.First.Rules.SequenceEqual(p.Second.Rules));

    /// <summary>
    /// The other hosts that take part, as this host sees them: heard within the detection time,
    /// same configuration, counting themselves in; of two live incarnations of one priority (a
    /// duplicate), the older.
    /// </summary>
    private Dictionary<int, PeerRecord> Participants(long nowMs)
    {
        var result = new Dictionary<int, PeerRecord>();
        foreach (var (priority, records) in _peers)
        {
            if (priority == _me)
            {
                continue;
            }

            var oldest = records
                .Where(r => r.IsLive(nowMs, _settings.DetectionMs) && r.Latest.State is not (MemberState.Stopped or MemberState.Suspended))
                .MinBy(r => r.Incarnation);
            if (oldest is { Excluded: null, SaysParticipant: true })
            {
                result[priority] = oldest;
            }
        }

        return result;
    }

    private bool IsDuplicate(PeerRecord record, long nowMs) =>
        (record.Priority == _me && record.Incarnation > _settings.Self.Incarnation)
        || _peers[record.Priority].Any(r => r.Incarnation < record.Incarnation && r.IsLive(nowMs, _settings.DetectionMs)
            && r.Latest.State is not (MemberState.Stopped or MemberState.Suspended));

    /// <summary>Why this host must stay out of the cluster now, if it must.</summary>
    private (DisplayState?, string?) KeptOut(long nowMs)
    {
        if (_peers.TryGetValue(_me, out var twins))
        {
            var older = twins.FirstOrDefault(r => r.Incarnation < _settings.Self.Incarnation && r.IsLive(nowMs, _settings.DetectionMs)
                && r.Latest.State is not (MemberState.Stopped or MemberState.Suspended));
            if (older is not null)
            {
                return (DisplayState.DuplicatePriority, string.Create(
                    CultureInfo.InvariantCulture,
                    $"another live host already uses host priority {_me} (it started earlier); change this host's priority"));
            }
        }

        // A host whose configuration differs from a serving group larger than its own (or as large,
        // with a better priority) stays out; a newcomer, which serves nothing yet, always does.
        var mine = GroupKey(_adopted, _me);
        foreach (var record in _peers.Values.SelectMany(l => l))
        {
            if (record.Excluded is not null && record.SaysParticipant && record.IsLive(nowMs, _settings.DetectionMs)
                && GroupKey(record.Latest.AdoptedOrNone, record.Priority).CompareTo(mine) > 0)
            {
                return (DisplayState.Mismatched, string.Create(
                    CultureInfo.InvariantCulture,
                    $"host {record.Priority} serves the cluster with a different configuration: {record.Excluded}"));
            }
        }

        return (null, null);
    }

    private static (int Members, int NegatedBest) GroupKey(Proposal adopted, int self) =>
        (adopted.Members.Count, -(adopted.Members.Count == 0 ? self : adopted.Members.Min(m => m.Priority)));

    private string? Mismatch(Heartbeat hb) =>
        hb.Fingerprint != _settings.Self.Fingerprint
            ? string.Create(CultureInfo.InvariantCulture, $"cluster configuration differs (fingerprint {hb.Fingerprint:x16}, ours {_settings.Self.Fingerprint:x16})")
        : hb.Rules.Count != _rules.Length
            ? string.Create(CultureInfo.InvariantCulture, $"it has {hb.Rules.Count} port rules, we have {_rules.Length}")
        : null;

    /// <summary>
    /// Inputs can come stamped earlier than one already taken (a datagram stamped on arrival and
    /// read after a tick): judging peers at that earlier time would count again one already
    /// expired, and a newly counted participant makes every host release everything.
    /// </summary>
    private long Clock(long nowMs) => _clockMs = Math.Max(_clockMs, nowMs);

    private void TrackCounter(Proposal proposal) => _maxCounterSeen = Math.Max(_maxCounterSeen, proposal.Counter);

    private void StopNow()
    {
        ForgetTakeovers();
        ForgetClaim();
        _state = MemberState.Stopped;
        _drainDeadline = null;
        _share.DropAll();
        _sendNow = true;
    }

    private Handover[] Chunk(ulong epoch, IReadOnlyList<HandoverFlow> flows, IReadOnlyList<HandoverClient> clients)
    {
        var total = flows.Count + clients.Count;
        var count = (total + MaxEntriesPerChunk - 1) / MaxEntriesPerChunk;
        var chunks = new Handover[count];
        for (var c = 0; c < count; c++)
        {
            var from = c * MaxEntriesPerChunk;
            var to = Math.Min(total, from + MaxEntriesPerChunk);
            var chunkFlows = flows.Skip(from).Take(Math.Max(0, Math.Min(to, flows.Count) - from)).ToArray();
            var clientFrom = Math.Max(0, from - flows.Count);
            var chunkClients = clients.Skip(clientFrom).Take(to - from - chunkFlows.Length).ToArray();
            chunks[c] = new Handover(
                _settings.Self.ClusterId, _me, _settings.Self.Incarnation, 0, epoch, c, count, chunkFlows, chunkClients);
        }

        return chunks;
    }
}
