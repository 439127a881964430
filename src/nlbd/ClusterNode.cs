using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.DataPlane;
using OpenNlb.Core.Membership;
using OpenNlb.Core.Status;
using OpenNlb.Linux.Sockets;

namespace OpenNlb.Daemon;

/// <summary>
/// One host's membership loop: send a heartbeat every period, take in the others', and whenever the
/// set of members changes, recompute the cluster map and move the kernel to this host's new share.
/// Every decision is made by pure code (<see cref="MembershipTable"/>, the allocator, the renderer);
/// this class only feeds it time and datagrams and applies its answers.
/// </summary>
internal sealed class ClusterNode
{
    private readonly NlbConfig _config;
    private readonly ClusterKey _key;
    private readonly LocalIdentity _self;
    private readonly IReadOnlyList<MemberRule> _myRules;
    private readonly KernelDataPlane _kernel;
    private readonly HeartbeatSocket _socket;
    private readonly StatusFile _status;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Channel<Heartbeat> _inbox = Channel.CreateBounded<Heartbeat>(
        new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest });

    private MembershipTable _table = MembershipTable.Empty;
    private IReadOnlyList<Member> _members = [];
    private int? _defaultHost;
    private ulong _sequence;
    private long _convergences;
    private bool _converging = true;
    private readonly HashSet<int> _warnedMismatch = [];

    public ClusterNode(NlbConfig config, ClusterKey key, LocalIdentity self, KernelDataPlane kernel, HeartbeatSocket socket, StatusFile status, TimeProvider time, ILogger log)
    {
        _config = config;
        _key = key;
        _self = self;
        _kernel = kernel;
        _socket = socket;
        _status = status;
        _time = time;
        _log = log;
        _myRules = HostRules.Of(config);
    }

    private long NowMs => (long)_time.GetElapsedTime(0).TotalMilliseconds;

    private long DetectionMs => (long)_config.Cluster.Heartbeat.DetectionTime.TotalMilliseconds;

    public async Task RunAsync(CancellationToken ct)
    {
        var receiver = ReceiveLoopAsync(ct);
        var period = _config.Cluster.Heartbeat.Period;

        // A starting host owns nothing until it has listened for one detection time: it would
        // otherwise claim every bucket while the running hosts still serve them.
        var listenUntil = NowMs + DetectionMs;
        var nextTick = NowMs;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var now = NowMs;
                if (now >= nextTick)
                {
                    await SendHeartbeatAsync(MemberState.Started, ct);
                    nextTick = now + (long)period.TotalMilliseconds;
                    _converging = _converging && now < listenUntil;
                }

                _table = _table.Expire(now, DetectionMs);
                Reconcile();
                WriteStatusAtMostEvery(TimeSpan.FromSeconds(1));

                // Wake for the next heartbeat to send or the next member to expire, whichever is
                // first: a dead host is noticed at the detection time, not at the next tick after it.
                var wakeAt = Math.Min(nextTick, _table.NextExpiryMs(DetectionMs) ?? long.MaxValue);
                var wait = TimeSpan.FromMilliseconds(Math.Max(1, wakeAt - NowMs));
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(wait);
                try
                {
                    while (await _inbox.Reader.WaitToReadAsync(timeout.Token))
                    {
                        while (_inbox.Reader.TryRead(out var hb))
                        {
                            Observe(hb);
                        }
                    }
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    // The tick is due.
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }

        // Tell the others we are leaving so they take our buckets now, not after the detection time.
        for (var i = 0; i < 3; i++)
        {
            await SendHeartbeatAsync(MemberState.Stopped, CancellationToken.None);
        }

        await receiver.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private void Observe(Heartbeat hb)
    {
        (_table, var outcome) = _table.Observe(hb, _self, NowMs);
        switch (outcome)
        {
            case Observation.Joined:
                Log.PeerJoined(_log, hb.HostPriority);
                Reconcile();
                break;
            case Observation.Stopped:
                Reconcile();
                break;
            case Observation.Mismatched:
                if (_warnedMismatch.Add(hb.HostPriority))
                {
                    Log.PeerExcluded(_log, hb.HostPriority, _table.Peers[hb.HostPriority].Excluded!);
                }

                Reconcile();
                break;
            case Observation.DuplicatePriority:
                Log.DuplicatePriority(_log, hb.HostPriority, hb.Incarnation);
                break;
            default:
                break;
        }
    }

    /// <summary>Recomputes the map when the members (or their settings) changed and applies this host's share.</summary>
    private void Reconcile()
    {
        if (_converging)
        {
            return;
        }

        var members = _table.Members(NowMs, DetectionMs)
            .Select(p => new Member(p.Priority, p.Rules))
            .Append(new Member(_self.Priority, _myRules))
            .OrderBy(m => m.Priority)
            .ToList();
        if (_kernel.Current is not null && members.SequenceEqual(_members, MemberComparer))
        {
            return;
        }

        foreach (var gone in _members.Select(m => m.Priority).Except(members.Select(m => m.Priority)))
        {
            Log.PeerLeft(_log, gone, _table.Peers.TryGetValue(gone, out var p) && p.State == MemberState.Stopped
                ? "it stopped" : _table.Peers.ContainsKey(gone) ? "kept out" : "heartbeats stopped");
        }

        var view = ClusterView.Compute(_config.Cluster, members, _self.Priority);
        var started = Stopwatch.GetTimestamp();
        try
        {
            _kernel.Apply(view.Mine);
        }
        catch (Exception e)
        {
            Log.ApplyFailed(_log, e.Message);
            return;
        }

        _members = members;
        _defaultHost = view.DefaultHost;
        _convergences++;
        Log.Converged(_log, string.Join(' ', members.Select(m => m.Priority)), view.DefaultHost, Describe(view.Mine), Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        WriteStatus();
    }

    private string Describe(Ownership own) => string.Join(
        ", ",
        _config.Cluster.PortRules.Select((r, i) => r.Filtering switch
        {
            FilteringMode.Multiple => $"{r.Name}: {own.Rules[i].Buckets.Count} buckets",
            FilteringMode.Single => $"{r.Name}: {(own.Rules[i].HandlesSingle ? "handling" : "not handling")}",
            _ => $"{r.Name}: disabled",
        }).Append(own.IsDefaultHost ? "default host" : "not default host"));

    private async Task SendHeartbeatAsync(MemberState state, CancellationToken ct)
    {
        var hb = new Heartbeat(_self.ClusterId, _self.Fingerprint, _self.Priority, state, _self.Incarnation, ++_sequence, _myRules);
        var buffer = new byte[HeartbeatCodec.SizeOf(hb)];
        HeartbeatCodec.Write(hb, _key, buffer);
        try
        {
            await _socket.SendAsync(buffer, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.SendFailed(_log, e.Message);
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken ct)
    {
        // One byte more than the largest heartbeat, so that an oversized datagram is seen as such
        // rather than silently truncated into something that parses.
        var buffer = new byte[WireFormat.MaxDatagramSize + 1];
        while (!ct.IsCancellationRequested)
        {
            int n;
            try
            {
                n = await _socket.ReceiveAsync(buffer, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e)
            {
                Log.SendFailed(_log, "receive: " + e.Message);
                await Task.Delay(10, ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                continue;
            }

            var error = HeartbeatCodec.TryParse(buffer.AsSpan(0, n), _key, out var hb);
            if (error != HeartbeatError.None)
            {
                Log.HeartbeatRejected(_log, error);
                continue;
            }

            _inbox.Writer.TryWrite(hb!);
        }
    }

    private static readonly IEqualityComparer<Member> MemberComparer = EqualityComparer<Member>.Create(
        (a, b) => a is not null && b is not null && a.Priority == b.Priority && a.Rules.SequenceEqual(b.Rules),
        m => m.Priority);

    private long _statusWrittenMs = long.MinValue;

    private void WriteStatusAtMostEvery(TimeSpan interval)
    {
        if (NowMs - _statusWrittenMs >= interval.TotalMilliseconds)
        {
            WriteStatus();
        }
    }

    private void WriteStatus()
    {
        _statusWrittenMs = NowMs;
        var own = _kernel.Current;
        var state = _converging ? "converging"
            : _defaultHost == _self.Priority ? "converged-default"
            : "converged";
        try
        {
            _status.Write(new HostStatus
            {
                HostPriority = _self.Priority,
                ProcessId = Environment.ProcessId,
                State = state,
                LiveHosts = _members.Select(m => m.Priority).ToList(),
                DefaultHost = _defaultHost,
                BucketsOwned = _config.Cluster.PortRules.Select((r, i) => (r.Name, Count: own is null ? 0
                        : r.Filtering == FilteringMode.Single ? (own.Rules[i].HandlesSingle ? 1 : 0)
                        : own.Rules[i].Buckets.Count))
                    .ToDictionary(x => x.Name, x => x.Count, StringComparer.Ordinal),
                Convergences = _convergences,
                UpdatedAt = _time.GetUtcNow(),
            });
        }
        catch (IOException)
        {
            // The status file is informational; the cluster must not stop over a full disk.
        }
    }
}
