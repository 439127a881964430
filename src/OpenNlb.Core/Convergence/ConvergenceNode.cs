using OpenNlb.Core.Allocation;
using OpenNlb.Core.DataPlane;
using OpenNlb.Core.Membership;

namespace OpenNlb.Core.Convergence;

/// <summary>
/// One host's convergence state machine (docs/convergence.md). Pure: it is fed heartbeats,
/// hand-over chunks, commands and the time as a millisecond count, and answers with what the
/// kernel must enforce (<see cref="Ownership"/>), what to send, and what to show. nlbd does the I/O;
/// the simulation tests drive many of these through lossy, reordering networks.
/// </summary>
public sealed partial class ConvergenceNode
{
    /// <summary>Hand-over entries per datagram: 80 flows of at most 17 bytes stay well under 1,400 bytes.</summary>
    public const int MaxEntriesPerChunk = 80;

    private readonly NodeSettings _settings;
    private readonly int _me;
    private readonly MemberRule[] _rules;
    private readonly Dictionary<int, List<PeerRecord>> _peers = [];
    private readonly HandoverInbox _inbox = new();
    private readonly LocalShare _share;
    private readonly List<HandoverFlow> _foreignFlows = [];
    private readonly List<HandoverClient> _foreignClients = [];

    /// <summary>The participants at the last update: one that is not among them is newly counted.</summary>
    private HashSet<int> _counted = [];

    private MemberState _state;
    private long _listenUntil;
    private long? _drainDeadline;
    private Proposal _adopted = Proposal.None;
    private ClusterMap? _map;
    private ulong _maxCounterSeen;
    private long? _lastIssueMs;
    private bool _claimDirty;
    private bool _shareDirty = true;
    private bool _participant;
    private DisplayState? _keptOut;
    private string? _keptOutReason;
    private long _nextHeartbeatMs;
    private bool _sendNow = true;
    private IReadOnlyList<Handover>? _handoverChunks;
    private long? _handoverSentMs;

    /// <summary>The latest time the node was given: its notion of now never goes back.</summary>
    private long _clockMs;

    /// <summary>Per peer of the adopted map, what this host inherits if it dies (docs/convergence.md, "Takeover").</summary>
    private readonly Dictionary<int, PeerHeirs> _heirs = [];

    /// <summary>The peers whose <see cref="_heirs"/> were computed for the adopted proposal.</summary>
    private readonly HashSet<int> _heirsFresh = [];

    /// <summary>Peers of the adopted map that fell silent and whose inherited buckets this host took at once.</summary>
    private readonly HashSet<int> _takenOver = [];

    /// <summary>
    /// The proposal this host last claimed in full, and the participants (priority, incarnation)
    /// whose complete hand-overs it held then: what makes claiming a departed host's buckets of
    /// the next map safe before that map's hand-overs arrive (<see cref="_departed"/>).
    /// </summary>
    private (Proposal Proposal, HashSet<(int Priority, ulong Incarnation)> With)? _claimed;

    /// <summary>
    /// The adopted map is the one of <see cref="_claimed"/> less hosts that left, adopted straight
    /// from it: unlike <see cref="_departed"/>, it stays true after the early claim.
    /// </summary>
    private bool _leftOnly;

    /// <summary>
    /// After adopting, straight from a map this host had claimed, a map of the same members less
    /// some that left: that earlier map and those members (docs/convergence.md, "Claiming a dead
    /// host's buckets"). Null once used, or when anything else happened.
    /// </summary>
    private (ClusterMap Before, HashSet<int> Gone)? _departed;

    private IReadOnlyList<Standby>? _standbys;
    private (Ownership Share, Ownership Whole)? _ownership;

    public ConvergenceNode(NodeSettings settings, long nowMs)
    {
        _settings = settings;
        _me = settings.Self.Priority;
        _rules = settings.Rules.ToArray();
        _state = settings.InitialState;
        _clockMs = nowMs;
        _share = new LocalShare(settings.Cluster.PortRules, settings.BucketCount, settings.Restarted, settings.InitialKept);

        // A starting host listens for one detection time before it takes part, so that it learns
        // the epoch the cluster is at instead of proposing over it.
        _listenUntil = nowMs + settings.DetectionMs;
        _nextHeartbeatMs = nowMs;
        if (_state is MemberState.Stopped or MemberState.Suspended)
        {
            _share.DropAll();
        }
    }

    /// <summary>What the kernel must enforce now.</summary>
    public Ownership Ownership
    {
        get
        {
            var share = _share.Snapshot();
            _standbys ??= _heirs.Values.OrderBy(h => h.Peer).Select(h => h.ToStandby(_takenOver.Contains(h.Peer))).ToArray();
            // One instance while nothing changed: callers compare by reference before comparing by value.
            if (_ownership is not { } cached || !ReferenceEquals(cached.Share, share) || !ReferenceEquals(cached.Whole.Standbys, _standbys))
            {
                _ownership = (share, share with { Standbys = _standbys });
            }

            return _ownership.Value.Whole;
        }
    }

    /// <summary>The peers of the adopted map this host took over: silent, their buckets served here before a new map.</summary>
    public IReadOnlyCollection<int> TakenOver => _takenOver;

    /// <summary>Times this host took over a silent peer's buckets.</summary>
    public long Takeovers { get; private set; }

    /// <summary>
    /// Times this host gave up every new flow at once because of a peer (docs/convergence.md:
    /// counted again on another map, or not counting this host), and why the last time: under
    /// load, these are what a cluster that keeps re-converging shows.
    /// </summary>
    public long ReleasesOfEverything { get; private set; }

    /// <summary>Times this host claimed departed hosts' buckets of a new map before its hand-overs were complete.</summary>
    public long EarlyClaims { get; private set; }

    public string? LastReleaseOfEverything { get; private set; }

    public Proposal Adopted => _adopted;

    public ClusterMap? Map => _map;

    public MemberState State => _state;

    /// <summary>When a drainstop with a timeout stops this host, on the node's clock; null otherwise.</summary>
    public long? DrainDeadlineMs => _drainDeadline;

    public IReadOnlyList<MemberRule> Rules => _rules;

    /// <summary>Times this host finished claiming its share of a new map.</summary>
    public long Convergences { get; private set; }

    /// <summary>Why this host is kept out of the cluster, if it is.</summary>
    public string? KeptOutReason => _keptOutReason;

    /// <summary>Whether this host counts itself a participant: started or draining, listened, not kept out.</summary>
    public bool IsParticipant => _participant;

    /// <summary>Host priorities this host counts as live participants, itself included when it is one.</summary>
    public IReadOnlyList<int> View(long nowMs)
    {
        nowMs = Clock(nowMs);
        var view = Participants(nowMs).Keys.ToList();
        if (_participant)
        {
            view.Add(_me);
        }

        view.Sort();
        return view;
    }

    public DisplayState Display(long nowMs) => DisplayAt(Clock(nowMs));

    private DisplayState DisplayAt(long nowMs) => _state switch
    {
        MemberState.Suspended => DisplayState.Suspended,
        MemberState.Stopped => DisplayState.Stopped,
        _ when _keptOut is { } why => why,
        MemberState.Draining => DisplayState.Draining,
        _ when !_participant || _claimDirty || !Settled(Participants(nowMs)) => DisplayState.Converging,
        _ => _share.OwnsDefault ? DisplayState.ConvergedDefault : DisplayState.Converged,
    };

    /// <summary>Everything heard from other hosts, for <c>nlb query</c>.</summary>
    public IReadOnlyList<PeerView> Peers(long nowMs) => PeersAt(Clock(nowMs));

    private List<PeerView> PeersAt(long nowMs) => _peers.Values
        .SelectMany(list => list)
        .OrderBy(p => p.Priority).ThenBy(p => p.Incarnation)
        .Select(p => new PeerView(
            p.Priority,
            p.Latest.State,
            p.IsLive(nowMs, _settings.DetectionMs),
            p.SaysParticipant,
            p.Excluded ?? (IsDuplicate(p, nowMs) ? "another live host with this priority started earlier" : null),
            p.Latest.AdoptedOrNone.Epoch,
            nowMs - p.LastHeardMs))
        .ToList();

    public void Tick(long nowMs)
    {
        nowMs = Clock(nowMs);
        if (_state == MemberState.Draining && _drainDeadline is { } deadline && nowMs >= deadline)
        {
            StopNow();
        }

        Update(nowMs);
    }

    /// <summary>When the node next needs a <see cref="Tick"/> if nothing arrives before.</summary>
    public long NextWakeMs(long nowMs)
    {
        nowMs = Clock(nowMs);
        var wake = _sendNow ? nowMs : _nextHeartbeatMs;
        foreach (var record in _peers.Values.SelectMany(l => l))
        {
            var silentAt = record.LastHeardMs + _settings.DetectionMs + 1;
            if (record.IsLive(nowMs, _settings.DetectionMs))
            {
                wake = Math.Min(wake, silentAt);
            }
            else if (TakeoverOn && nowMs < silentAt + _settings.PeriodMs)
            {
                // The coordinator's new map waits a period after a member falls silent (RecentlySilent).
                wake = Math.Min(wake, silentAt + _settings.PeriodMs);
            }
        }

        if (_listenUntil > nowMs)
        {
            wake = Math.Min(wake, _listenUntil);
        }

        if (_drainDeadline is { } deadline)
        {
            wake = Math.Min(wake, Math.Max(deadline, nowMs));
        }

        return wake;
    }

    /// <param name="arrivedMs">When the heartbeat arrived: it dates the peer's last sign of life;
    /// the node judges everything else at its own clock, which may be later.</param>
    public Observation Receive(Heartbeat hb, long arrivedMs)
    {
        var nowMs = Clock(arrivedMs);
        if (hb.ClusterId != _settings.Self.ClusterId)
        {
            return Observation.OtherCluster;
        }

        if (hb.HostPriority == _me && hb.Incarnation == _settings.Self.Incarnation)
        {
            return Observation.Self;
        }

        if (HeardSwitched(hb, nowMs))
        {
            return Observation.Switched;
        }

        var records = _peers.TryGetValue(hb.HostPriority, out var list) ? list : _peers[hb.HostPriority] = [];
        var same = records.FindIndex(r => r.Incarnation == hb.Incarnation);
        if (same >= 0 && hb.Sequence <= records[same].Latest.Sequence)
        {
            return Observation.Stale;
        }

        var wasLive = records.Any(r => r.IsLive(nowMs, _settings.DetectionMs) && r.SaysParticipant);
        var excluded = Mismatch(hb);
        var record = new PeerRecord(hb, arrivedMs, excluded, same >= 0 ? records[same].FirstHeardMs : arrivedMs);
        if (same >= 0)
        {
            records[same] = record;
        }
        else
        {
            records.Add(record);
        }

        // Incarnations not heard for the detection time are gone (a restart, or a duplicate that stopped).
        records.RemoveAll(r => !r.IsLive(nowMs, _settings.DetectionMs));
        if (records.Count > 4)
        {
            records.RemoveRange(0, records.Count - 4);
        }

        TrackCounter(hb.AdoptedOrNone);
        Update(nowMs);
        return hb.HostPriority == _me ? Observation.DuplicatePriority
            : excluded is not null && hb.Staged == _settings.Self.Fingerprint ? Observation.SwitchingHere
            : excluded is not null ? Observation.Mismatched
            : records.Count > 1 ? Observation.DuplicatePriority
            : hb.State is MemberState.Stopped or MemberState.Suspended ? Observation.Stopped
            : wasLive ? Observation.Refreshed
            : Observation.Joined;
    }

    /// <summary>Takes one hand-over chunk from another host; its entries are passed on for installation at once.</summary>
    public bool Receive(Handover chunk, long nowMs)
    {
        nowMs = Clock(nowMs);
        if (chunk.ClusterId != _settings.Self.ClusterId || chunk.HostPriority == _me || !_inbox.Receive(chunk))
        {
            return false;
        }

        _foreignFlows.AddRange(chunk.Flows);
        _foreignClients.AddRange(chunk.Clients);
        Update(nowMs);
        return true;
    }

    /// <summary>The foreign flows and clients received since the last call, to add to the kernel before <see cref="Ownership"/>.</summary>
    public (IReadOnlyList<HandoverFlow> Flows, IReadOnlyList<HandoverClient> Clients) TakeForeign()
    {
        if (_foreignFlows.Count == 0 && _foreignClients.Count == 0)
        {
            return ([], []);
        }

        var taken = (_foreignFlows.ToArray(), _foreignClients.ToArray());
        _foreignFlows.Clear();
        _foreignClients.Clear();
        return taken;
    }

    /// <summary>
    /// Whether the heartbeat this host would send now may leave before its releases are written
    /// in the kernel (docs/convergence.md, "Claiming a dead host's buckets"). Only right after
    /// adopting, straight from a map it had claimed in full, that map less hosts that left, with
    /// its hand-over for it still pending, and while every participant is one that agreed on that
    /// map (it held its complete hand-over then) and advertises it or the new one. Then no host
    /// that heeds the heartbeat can own what this host still accepts: each participant owns at
    /// most its share of either map, disjoint from this host's share of the map before; a claim of
    /// this host's released buckets waits for its complete hand-over, which nlbd lists only once
    /// the releases are in the kernel; and a host not among the participants (one that hears this
    /// host but is not heard) is not a member of the new map, so owns nothing in it. Not with
    /// takeovers, whose heirs are computed from other maps.
    /// </summary>
    public bool HeartbeatMayPrecedeReleases(long nowMs)
    {
        if (_handoverChunks is not null || !_participant || _state != MemberState.Started || TakeoverOn || !_leftOnly || _claimed is not { } claimed)
        {
            return false;
        }

        return Participants(Clock(nowMs)).Values.All(p =>
            claimed.With.Contains((p.Priority, p.Incarnation))
            && (p.Latest.AdoptedOrNone.Equals(_adopted) || p.Latest.AdoptedOrNone.Equals(claimed.Proposal)));
    }

    /// <summary>The epoch whose hand-over nlbd must collect (this host's flows in kept buckets), if one is wanted.</summary>
    public ulong? HandoverWanted => _participant && _handoverChunks is null && _adopted.Epoch != 0 ? _adopted.Epoch : null;

    /// <summary>nlbd's answer to <see cref="HandoverWanted"/>: the flows and clients it keeps outside its share.</summary>
    public void HandoverCollected(ulong epoch, IReadOnlyList<HandoverFlow> flows, IReadOnlyList<HandoverClient> clients, long nowMs)
    {
        nowMs = Clock(nowMs);
        if (epoch != _adopted.Epoch || _handoverChunks is not null)
        {
            return;
        }

        _handoverChunks = Chunk(epoch, flows, clients);
        _handoverSentMs = null;
        _sendNow = true;
        Update(nowMs);
    }

    /// <summary>The hand-over chunks to send now: after collection, and again each period while a participant lacks them.</summary>
    public IReadOnlyList<Handover> HandoverDue(long nowMs)
    {
        nowMs = Clock(nowMs);
        if (_handoverChunks is not { Count: > 0 } chunks || (_handoverSentMs is { } sent && nowMs - sent < _settings.PeriodMs))
        {
            return [];
        }

        var missing = Participants(nowMs).Values.Any(p =>
            p.Latest.AdoptedOrNone.Epoch != _adopted.Epoch || (p.Latest.HandoverAcks & PeerRecord.Bit(_me)) == 0);
        if (!missing && _handoverSentMs is not null)
        {
            return [];
        }

        _handoverSentMs = nowMs;
        return chunks;
    }

    /// <summary>nlbd's periodic report of which kept buckets still serve something; the rest are retired.</summary>
    public void RetainKept(KeptUsage inUse, long nowMs)
    {
        nowMs = Clock(nowMs);
        _share.Retain(inUse);
        Update(nowMs);
    }

    public bool HeartbeatDue(long nowMs) => _sendNow || Clock(nowMs) >= _nextHeartbeatMs;

    /// <summary>This host's heartbeat, now; the caller numbers it.</summary>
    public Heartbeat MakeHeartbeat(ulong sequence, long nowMs)
    {
        nowMs = Clock(nowMs);
        _sendNow = false;
        _nextHeartbeatMs = nowMs + _settings.PeriodMs;
        var participants = Participants(nowMs);
        var view = participants.Keys.Aggregate(_participant ? PeerRecord.Bit(_me) : 0UL, (v, p) => v | PeerRecord.Bit(p));
        var acks = participants.Values
            .Where(p => p.Latest.HandoverEpoch == _adopted.Epoch && HandoverComplete(p))
            .Aggregate(0UL, (v, p) => v | PeerRecord.Bit(p.Priority));
        return new Heartbeat(
            _settings.Self.ClusterId,
            _settings.Self.Fingerprint,
            _me,
            _state,
            _settings.Self.Incarnation,
            sequence,
            _rules.ToArray(),
            view,
            _adopted,
            _adopted.Epoch,
            _handoverChunks?.Count ?? Heartbeat.HandoverPending,
            acks,
            _staged);
    }
}

/// <summary>Another host as this one last heard it, for <c>nlb query</c>.</summary>
public sealed record PeerView(int Priority, MemberState State, bool Live, bool Participant, string? KeptOut, ulong AdoptedEpoch, long SilentForMs);
