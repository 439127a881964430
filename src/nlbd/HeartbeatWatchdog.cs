namespace OpenNlb.Daemon;

/// <summary>
/// Keeps heartbeats, and with them the lease, going while the loop is busy in a long kernel
/// transaction (a claim of thousands of buckets takes 100-200 ms on a loaded machine): on its own
/// thread, which never touches nftables, it
/// re-sends the loop's last heartbeat under a fresh sequence number when the loop is late.
/// Re-sending is truthful: epochs only grow, so an older heartbeat never lets another host claim
/// what this one holds (docs/convergence.md). It covers a busy loop, not a hung one: after
/// <see cref="MaxCoverMs"/> without the loop sending or finishing a kernel step, it stops too, the
/// lease lapses and the others take over. A loop that finishes steps is not hung: on a machine
/// with every core busy, a move of 60,000 buckets was seen to take 2.5 s, and a cover that ended
/// after 1 s made the others drop this host, which made them move buckets again.
/// </summary>
internal sealed class HeartbeatWatchdog(long periodMs, Func<long> nowMs, Func<bool> resend, Action<string>? realtimeRefused = null) : IDisposable
{
    public const long MaxCoverMs = 1000;

    /// <summary>Low among real-time priorities: above every ordinary thread, below the kernel's own (and corosync's default of 99).</summary>
    public const int RealtimePriority = 10;

    private readonly CancellationTokenSource _stop = new();
    private long _loopSentMs = long.MinValue / 4;
    private long _lastSentMs = long.MinValue / 4;
    private Thread? _thread;

    /// <summary>The loop sent a heartbeat now.</summary>
    public void LoopSent(long now)
    {
        Interlocked.Exchange(ref _loopSentMs, now);
        Interlocked.Exchange(ref _lastSentMs, now);
    }

    /// <summary>The loop finished a kernel step now: it is making progress, keep covering it.</summary>
    public void LoopProgressed(long now) => Interlocked.Exchange(ref _loopSentMs, now);

    /// <summary>
    /// The loop starts one long step that cannot report progress (the switch to a new cluster
    /// section: one transaction of the whole ruleset): cover it for up to <paramref name="coverMs"/>.
    /// </summary>
    public void LoopStartsLongStep(long now, long coverMs) => Interlocked.Exchange(ref _loopSentMs, now + Math.Max(0, coverMs - MaxCoverMs));

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "heartbeat watchdog" };
        _thread.Start();
    }

    private void Run()
    {
        // Real-time: on a machine whose cores are all busy, an ordinary thread that wakes every
        // few milliseconds was seen to wake up to 229 ms late, long enough for the lease to lapse
        // and for the peers to call this host dead. This thread sleeps between short wake-ups.
        if (OpenNlb.Linux.Processes.CurrentThread.TryRealtime(RealtimePriority) is { } refused)
        {
            realtimeRefused?.Invoke(refused);
        }

        var tick = TimeSpan.FromMilliseconds(Math.Max(5, periodMs / 4));
        while (!_stop.Token.WaitHandle.WaitOne(tick))
        {
            var now = nowMs();
            var loopSent = Interlocked.Read(ref _loopSentMs);
            // A fifth of a period of slack: the loop is often a few milliseconds late, which is no
            // reason to send twice. Not more: peers judge this host by the gaps between its
            // heartbeats, and each heartbeat is also what renews the lease.
            if (now - Interlocked.Read(ref _lastSentMs) >= periodMs + Math.Max(1, periodMs / 5) && now - loopSent < MaxCoverMs && resend())
            {
                Interlocked.Exchange(ref _lastSentMs, now);
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _thread, null) is { } thread)
        {
            _stop.Cancel();
            thread.Join(TimeSpan.FromSeconds(1));
        }
    }
}
