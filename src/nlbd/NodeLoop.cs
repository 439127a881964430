using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Control;
using OpenNlb.Core.Convergence;
using OpenNlb.Core.Membership;
using OpenNlb.Core.Metrics;
using OpenNlb.Linux.Sockets;

namespace OpenNlb.Daemon;

/// <summary>
/// nlbd's one loop: feeds the convergence state machine datagrams, commands, collected flows and
/// the time, and carries out what it asks, in an order that keeps the kernel at least as strict as
/// what the heartbeats say: releases first, then the heartbeat, which renews the lease as it leaves
/// (but for a heartbeat that the releases do not change: <see cref="Effects"/>).
/// Everything that touches the node runs on this loop; other tasks post closures to it.
/// </summary>
internal sealed partial class NodeLoop(
    NlbConfig config,
    ConvergenceNode node,
    KernelDataPlane kernel,
    HeartbeatSocket socket,
    Wire wire,
    FlowInventory inventory,
    StatusFile status,
    Counters counters,
    TimeProvider time,
    ILogger log)
{
    private readonly Channel<Action> _events = Channel.CreateBounded<Action>(
        new BoundedChannelOptions(4096) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    private readonly long _startTimestamp = time.GetTimestamp();
    private readonly Lock _sendLock = new();
    private ulong _sequence;
    private Heartbeat? _lastHeartbeat;

    /// <summary>When the last heartbeat went out, by the loop or the watchdog; null before the first.</summary>
    private long? _heartbeatSentMs;
    private HeartbeatWatchdog? _watchdog;
    private bool _kernelBehind;

    /// <summary>The kernel has steps left that only rewrite heir sets (<see cref="KernelDataPlane.Apply"/>).</summary>
    private bool _kernelPending;
    private ulong? _collecting;
    private bool _scanning;
    private long _nextScanMs;

    /// <summary>
    /// A moment at which the receiver found the socket empty: every datagram that arrived before
    /// it has been posted to the loop. Written after the posts, read before the loop drains them.
    /// </summary>
    private long _heardUpToMs;

    private long NowMs => (long)time.GetElapsedTime(_startTimestamp).TotalMilliseconds;

    /// <summary>
    /// The time the node may judge the peers at: never later than what the receiver has read. A
    /// receiver that lags (a start still compiling, a starved thread) must not make live peers
    /// look silent: a host that believes itself alone issues a map of one and claims everything.
    /// </summary>
    private long JudgeMs => Math.Min(NowMs, Volatile.Read(ref _heardUpToMs));

    /// <summary>A control request: on another host or every host, a reload, or a command or question here.</summary>
    public Task<ControlResponse> HandleAsync(ControlCall call) =>
        call.Node is not null || call.Cluster ? ExecuteRemoteAsync(call)
        : call.Command == ControlCall.Reload ? ExecuteRemoteAsync(call with { Node = wire.Self.Priority })
        : ExecuteAsync(call);

    /// <summary>Runs a command on the loop; the answer carries the status after it. Questions go to <see cref="AnswerAsync"/>.</summary>
    public Task<ControlResponse> ExecuteAsync(ControlCall call)
    {
        if (call.HostCommand is not { } command)
        {
            return AnswerAsync(call);
        }

        var done = new TaskCompletionSource<ControlResponse>(TaskCreationOptions.RunContinuationsAsynchronously);

        // Stamped on arrival, like datagrams: if the loop is busy, the heartbeats that arrive
        // behind this command in the queue are still unread when it runs, and judging the peers at
        // a later time would find them silent.
        var arrived = JudgeMs;
        var posted = _events.Writer.TryWrite(() =>
        {
            var now = arrived;
            var outcome = node.Execute(command, now);
            if (outcome.Ok)
            {
                Log.CommandDone(log, command.Kind.ToString(), outcome.Message);
            }

            Effects(JudgeMs);
            done.SetResult(outcome.Ok
                ? new ControlResponse { SchemaVersion = ControlResponse.CurrentSchemaVersion, Ok = true, Message = outcome.Message, Status = Snapshot(now) }
                : new ControlResponse { SchemaVersion = ControlResponse.CurrentSchemaVersion, Ok = false, Error = outcome.Message, Status = Snapshot(now) });
        });
        if (!posted)
        {
            done.SetResult(ControlResponse.Failed("nlbd is stopping"));
        }

        return done.Task;
    }

    public async Task RunAsync(CancellationToken ct)
    {
        var receiver = new Thread(() => ReceiveLoop(ct)) { IsBackground = true, Name = "heartbeat receiver" };
        receiver.Start();
        using var watchdog = new HeartbeatWatchdog(config.Cluster.Heartbeat.PeriodMs, () => NowMs, ResendLast, error => Log.WatchdogNotRealtime(log, error));
        _watchdog = watchdog;
        watchdog.Start();
        try
        {
            while (!ct.IsCancellationRequested)
            {
                // What arrived while the loop was busy first: expiring a peer whose heartbeat sits
                // unread in the queue would be a failover of our own making.
                var busy = Stopwatch.GetTimestamp();
                var heard = JudgeMs;
                var handled = 0;
                while (_events.Reader.TryRead(out var pending))
                {
                    pending();
                    handled++;
                }

                var events = Stopwatch.GetElapsedTime(busy).TotalMilliseconds;
                var now = heard;
                node.Tick(now);
                SwitchIfDue(now);
                var tick = Stopwatch.GetElapsedTime(busy).TotalMilliseconds;
                Effects(now);
                var effects = Stopwatch.GetElapsedTime(busy).TotalMilliseconds;
                Observe(now);
                var total = Stopwatch.GetElapsedTime(busy).TotalMilliseconds;
                if (total > config.Cluster.Heartbeat.PeriodMs)
                {
                    Log.SlowLoop(log, total, handled, events, tick - events, effects - tick, total - effects);
                }

                // Heir sets still being written a step at a time: come back for the next step as soon
                // as what arrived meanwhile is handled.
                var wait = _kernelPending ? 1 : Math.Clamp(Math.Min(node.NextWakeMs(now), _nextScanMs) - now, 1, 1000);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromMilliseconds(wait));
                try
                {
                    if (await _events.Reader.WaitToReadAsync(timeout.Token))
                    {
                        while (_events.Reader.TryRead(out var action))
                        {
                            action();
                        }
                    }
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    // Time for the next tick.
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }

        _events.Writer.TryComplete();
        _watchdog = null;
        watchdog.Dispose();
        await LeaveAsync();
        receiver.Join(TimeSpan.FromSeconds(1));
    }

    /// <summary>Carries out what the node asks, kernel first: a heartbeat never promises more than the kernel enforces.</summary>
    private void Effects(long now)
    {
        // Releases before the heartbeat, which says this host released; claims after it, a step
        // per turn of the loop: a peer waiting to hear that this host holds the new map (to claim
        // a dead host's buckets) does not wait for this host's own claim too. Right after a map
        // that only lost hosts, the heartbeat promises nothing the releases change, and goes
        // first: those peers do not wait for this host's releases either.
        if (!node.HeartbeatMayPrecedeReleases(now))
        {
            ApplyKernel(releasesOnly: true);
        }

        if (node.HeartbeatDue(now))
        {
            // A kernel that could not be brought to what the node decided might accept more than
            // the heartbeat would say: then no heartbeat goes out, so the lease, which only a
            // heartbeat renews, lapses, and the others take over after the detection time.
            if (!_kernelBehind)
            {
                lock (_sendLock)
                {
                    _lastHeartbeat = node.MakeHeartbeat(++_sequence, now);
                    SendHeartbeat(wire.Encode(_lastHeartbeat));
                }

                _watchdog?.LoopSent(NowMs);
                counters.Add("heartbeats_sent");
            }
        }

        ApplyKernel(releasesOnly: false);
        foreach (var chunk in node.HandoverDue(now))
        {
            lock (_sendLock)
            {
                Send(wire.Encode(chunk with { Sequence = ++_sequence }));
            }

            counters.Add("handover_chunks_sent");
        }

        // Listed only once the releases are in the kernel: a flow that began after the listing
        // in a bucket still owned here would be missing from it, and its new owner would take it.
        if (node.HandoverWanted is { } epoch && _collecting != epoch && !_kernelBehind)
        {
            _collecting = epoch;
            var kept = node.Ownership;
            var (generation, listing) = (_generation, inventory);
            _ = Task.Run(async () =>
            {
                try
                {
                    var (flows, clients) = await listing.CollectHandoverAsync(kept);
                    PostForNode(generation, () =>
                    {
                        node.HandoverCollected(epoch, flows, clients, JudgeMs);
                        counters.Add("handover_flows_sent", flows.Count);
                        Log.HandoverCollected(log, epoch, flows.Count, clients.Count);
                    });
                }
                catch (Exception e)
                {
                    // Without its hand-over the cluster cannot claim the buckets this host keeps:
                    // never give up on it, try again at the next round.
                    Log.InventoryFailed(log, "hand-over", e.Message);
                    counters.Add("inventory_failures");
                    await Task.Delay(50);
                    PostForNode(generation, () => _collecting = null);
                }
            });
        }

        if (now >= _nextScanMs && !_scanning)
        {
            _nextScanMs = now + 1000;
            var current = node.Ownership;
            if (current.KeepsAnything())
            {
                _scanning = true;
                var (generation, listing) = (_generation, inventory);
                _ = Task.Run(async () =>
                {
                    try
                    {
                        var usage = await listing.KeptUsageAsync(current);
                        PostForNode(generation, () =>
                        {
                            _scanning = false;
                            node.RetainKept(usage, JudgeMs);
                        });
                    }
                    catch (Exception e)
                    {
                        Log.InventoryFailed(log, "kept buckets", e.Message);
                        counters.Add("inventory_failures");
                        PostForNode(generation, () => _scanning = false);
                    }
                });
            }
        }

        WriteStatusAtMostEvery(now, 1000);
    }

    /// <summary>
    /// Posts what an inventory task found back to the loop, unless the cluster section switched
    /// meanwhile (<see cref="_generation"/>): it was listed for the node and kernel replaced since,
    /// and says nothing of the new section's buckets.
    /// </summary>
    private void PostForNode(int generation, Action action) =>
        _events.Writer.TryWrite(() =>
        {
            if (generation == _generation)
            {
                action();
            }
        });

    private void ApplyKernel(bool releasesOnly = false)
    {
        var (flows, clients) = node.TakeForeign();
        var target = node.Ownership;
        if (flows.Count == 0 && clients.Count == 0 && kernel.Holds(target))
        {
            _kernelBehind = false;
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            var before = kernel.Current;
            _kernelPending = !kernel.Apply(target, flows, clients, () => _watchdog?.LoopProgressed(NowMs), releasesOnly);
            _kernelBehind = false;
            if (ReferenceEquals(before, kernel.Current) && flows.Count == 0 && clients.Count == 0)
            {
                // Only claims left, and they wait for the heartbeat: nothing was written.
                return;
            }

            counters.Add("kernel_updates");
            counters.Add("foreign_entries_installed", flows.Count + clients.Count);
            Log.KernelApplied(log, Describe(target), flows.Count + clients.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e)
        {
            _kernelBehind = true;
            counters.Add("kernel_update_failures");
            Log.ApplyFailed(log, e.Message);
        }
    }

    /// <summary>
    /// Sends a heartbeat, which renews the kernel's lease as it leaves (docs/convergence.md, "The
    /// lease"); under <see cref="_sendLock"/>. A gap between two heartbeats longer than the lease
    /// is a lapse: this host took no new flow and answered no UDP for the rest of it.
    /// </summary>
    private void SendHeartbeat(byte[] datagram)
    {
        if (!Send(datagram))
        {
            return;
        }

        var sent = NowMs;
        var gapMs = sent - (_heartbeatSentMs ?? sent);
        var leaseMs = (long)config.Cluster.Heartbeat.Lease.TotalMilliseconds;
        _heartbeatSentMs = sent;
        if (gapMs > leaseMs)
        {
            counters.Add(EventCounterNames.LeaseLapses);
            counters.Add(EventCounterNames.LeaseLapsedMsTotal, gapMs - leaseMs);
            Log.LeaseLapsed(log, gapMs, leaseMs, gapMs - leaseMs);
        }
    }

    private bool Send(byte[] datagram)
    {
        try
        {
            socket.Send(datagram);
            counters.Add("heartbeat_bytes_sent", datagram.Length);
            return true;
        }
        catch (Exception e)
        {
            counters.Add("send_failures");
            Log.SendFailed(log, e.Message);
            return false;
        }
    }

    /// <param name="now">When the datagram arrived, not when the loop got to it.</param>
    private void OnDatagram(byte[] datagram, long now)
    {
        var (message, error) = wire.Decode(datagram);
        if (error is not null)
        {
            counters.Add("datagrams_rejected_" + error);
            Log.HeartbeatRejected(log, error);
            return;
        }

        switch (message)
        {
            case Heartbeat heartbeat:
                CountLost(heartbeat.HostPriority, heartbeat.Incarnation, heartbeat.Sequence);
                var outcome = node.Receive(heartbeat, now);
                counters.Add("heartbeats_received");
                CountKeptOut(outcome);
                if (outcome is Observation.Mismatched or Observation.DuplicatePriority)
                {
                    WarnOnce(heartbeat.HostPriority, outcome, now);
                }

                break;
            case Handover handover:
                CountLost(handover.HostPriority, handover.Incarnation, handover.Sequence);
                if (node.Receive(handover, now))
                {
                    counters.Add("handover_chunks_received");
                }

                break;
            case RemoteRequest request:
                CountLost(request.HostPriority, request.Incarnation, request.Sequence);
                OnRemoteRequest(request);
                break;
            case RemoteReply reply:
                CountLost(reply.HostPriority, reply.Incarnation, reply.Sequence);
                OnRemoteReply(reply);
                break;
        }
    }

    /// <summary>
    /// Reads datagrams on a thread of its own and stamps them on arrival. On the thread pool, a
    /// loop blocked in a kernel transaction could starve it (measured: heartbeats read 300 ms late,
    /// peers judged dead, a map of one host issued); a dedicated thread cannot be starved so.
    /// </summary>
    private void ReceiveLoop(CancellationToken ct)
    {
        // One byte more than the largest datagram: an oversized one is seen as such, not truncated into something that parses.
        var buffer = new byte[Wire.MaxDatagram + 1];
        // Short: the node is judged no later than this thread last found the socket empty, and the
        // heartbeats are timed on the node's clock, so a long wait here delays both (25 ms made
        // the watchdog re-send a third of all heartbeats).
        var wait = TimeSpan.FromMilliseconds(Math.Clamp(config.Cluster.Heartbeat.PeriodMs / 10, 2, 10));
        while (!ct.IsCancellationRequested)
        {
            int n;
            try
            {
                // The time first, then the check: empty at some moment after it means everything
                // that arrived before it was read and posted.
                var checkedAt = NowMs;
                if (!socket.HasPending)
                {
                    Volatile.Write(ref _heardUpToMs, checkedAt);
                }

                                n = socket.Receive(buffer, wait);
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException or ObjectDisposedException)
            {
                if (ct.IsCancellationRequested)
                {
                    return;
                }

                Log.SendFailed(log, "receive: " + e.Message);
                Thread.Sleep(10);
                continue;
            }

            if (n == 0)
            {
                continue;
            }

            var datagram = buffer[..n];
            var arrived = NowMs;
            _events.Writer.TryWrite(() => OnDatagram(datagram, arrived));
        }
    }

    /// <summary>
    /// The watchdog's re-send of the last heartbeat, while the kernel is where that heartbeat says;
    /// like every heartbeat, it renews the lease as it leaves.
    /// </summary>
    private bool ResendLast()
    {
        lock (_sendLock)
        {
            if (_lastHeartbeat is null || Volatile.Read(ref _kernelBehind))
            {
                return false;
            }

            _lastHeartbeat = _lastHeartbeat with { Sequence = ++_sequence };
            SendHeartbeat(wire.Encode(_lastHeartbeat));
        }

        counters.Add("heartbeats_sent_by_watchdog");
        return true;
    }

    /// <summary>On SIGTERM: a clean stop. Heartbeats say so, so the others take the buckets at once.</summary>
    private async Task LeaveAsync()
    {
        var now = NowMs;
        node.Execute(new HostCommand(HostCommandKind.Stop), now);
        ApplyKernel();
        for (var i = 0; i < 3; i++)
        {
            lock (_sendLock)
            {
                SendHeartbeat(wire.Encode(node.MakeHeartbeat(++_sequence, NowMs)));
            }

            await Task.Delay(5);
        }
    }
}
