using System.Diagnostics;
using System.Net;

namespace OpenNlb.Lab.Traffic;

/// <summary>
/// The planned-change probe: long-lived TCP connections and UDP flows from the lab's clients to
/// the VIP, all speaking every ~150 ms while the cluster changes under them, counting every
/// connection reset or timed out and every datagram answered by the wrong host, twice, or not at
/// all. Flows are spread over the clients and their extra addresses. Disposing stops and closes
/// everything.
/// </summary>
public sealed class LongLivedFlows : IAsyncDisposable
{
    /// <summary>What a connection is given to open once the open timeout has run out: a failed open costs little.</summary>
    private static readonly TimeSpan MinimumOpen = TimeSpan.FromMilliseconds(100);

    private readonly LabHandle lab;
    private readonly FlowOptions options;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly CancellationTokenSource stopSending = new();
    private readonly CancellationTokenSource stopReceiving = new();
    private readonly List<TcpFlow> tcp = [];
    private readonly List<UdpFlow> udp = [];
    private readonly List<Task> senders = [];
    private readonly List<Task> receivers = [];
    private readonly Lock gate = new();
    private readonly List<FlowEvent> events = [];
    private readonly Random random;
    private bool stopped;

    private LongLivedFlows(LabHandle lab, FlowOptions options)
    {
        this.lab = lab;
        this.options = options;
        random = new Random(options.Seed);
    }

    /// <summary>Time since the flows started; <see cref="FlowEvent.At"/> counts from the same origin.</summary>
    public TimeSpan Elapsed => clock.Elapsed;

    /// <summary>
    /// Opens every flow (each TCP connection gets its first answer, each UDP flow sends its
    /// first datagram) and keeps them all speaking until disposed. Connections that fail to open are
    /// counted in <see cref="FlowCounts.TcpOpenFailed"/>, not thrown.
    /// </summary>
    public static async Task<LongLivedFlows> StartAsync(LabHandle lab, FlowOptions options, CancellationToken cancellationToken = default)
    {
        var all = Sources(lab);
        var sources = all.Take(all.Count - options.SpareSources).ToList();
        if (sources.Count == 0)
        {
            throw new LabException($"lab '{lab.Name}' has no client addresses to run flows from ({all.Count}, {options.SpareSources} kept spare)");
        }

        var flows = new LongLivedFlows(lab, options);
        try
        {
            await flows.OpenAsync(sources, cancellationToken);
            return flows;
        }
        catch
        {
            await flows.DisposeAsync();
            throw;
        }
    }

    /// <summary>The clients' addresses: each client's own, then its extra ones.</summary>
    public static IReadOnlyList<(string Node, IPAddress Source)> Sources(LabHandle lab) =>
        [.. lab.Clients.SelectMany(c => new[] { c.Address!.Value.Address }.Concat(c.ExtraAddresses).Select(a => (c.Name, a)))];

    /// <summary>Everything counted so far; UDP datagrams count once their answer timeout has passed.</summary>
    public FlowCounts Counts()
    {
        if (!stopped)
        {
            Settle(clock.Elapsed - options.AnswerTimeout);
        }

        lock (gate)
        {
            return new FlowCounts
            {
                TcpOpened = tcp.Count(f => f.FirstHost is not null),
                TcpOpenFailed = tcp.Count(f => f.FirstHost is null),
                TcpReset = tcp.Count(f => f.FirstHost is not null && f.Broken == FlowEventKind.TcpReset),
                TcpTimedOut = tcp.Count(f => f.FirstHost is not null && f.Broken == FlowEventKind.TcpTimedOut),
                TcpClosed = tcp.Count(f => f.FirstHost is not null && f.Broken == FlowEventKind.TcpClosed),
                TcpErrors = tcp.Count(f => f.FirstHost is not null && f.Broken == FlowEventKind.TcpError),
                TcpWrongHost = tcp.Count(f => f.SawWrongHost),
                TcpRequestsAnswered = tcp.Sum(f => f.Answered),
                UdpFlows = udp.Count,
                UdpSent = udp.Sum(f => f.Sent),
                UdpAnsweredRight = udp.Sum(f => f.AnsweredRight),
                UdpWrongHost = udp.Sum(f => f.WrongHost),
                UdpDuplicate = udp.Sum(f => f.Duplicate),
                UdpUnanswered = udp.Sum(f => f.Unanswered),
            };
        }
    }

    /// <summary>Waits one answer timeout (so that every datagram sent until now is settled), then counts.</summary>
    public async Task<FlowCounts> CountsAfterAnswersAsync(CancellationToken cancellationToken = default)
    {
        await Task.Delay(options.AnswerTimeout + TimeSpan.FromMilliseconds(50), cancellationToken);
        return Counts();
    }

    /// <summary>What went wrong, in order, from <paramref name="since"/> on (UDP events are timed by when the datagram was sent).</summary>
    public IReadOnlyList<FlowEvent> Events(TimeSpan since = default)
    {
        lock (gate)
        {
            return [.. events.Where(e => e.At >= since).OrderBy(e => e.At)];
        }
    }

    /// <summary>How many flows each host served at first (by their first answer).</summary>
    public IReadOnlyDictionary<string, int> FlowsPerHost(bool tcpFlows)
    {
        lock (gate)
        {
            return (tcpFlows ? tcp.Select(f => f.FirstHost) : udp.Select(f => f.FirstHost))
                .OfType<string>().GroupBy(h => h).ToDictionary(g => g.Key, g => g.Count());
        }
    }

    /// <summary>Stops every flow, waits for the answers still on the way, closes everything, and returns the final counts.</summary>
    public async Task<FlowCounts> StopAsync()
    {
        lock (gate)
        {
            if (stopped)
            {
                return Counts();
            }

            stopped = true;
        }

        // Senders first; the receivers stay up until the last datagrams are answered (or late).
        await stopSending.CancelAsync();
        await Task.WhenAll(senders).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        var lastSent = clock.Elapsed;
        while (clock.Elapsed - lastSent < options.AnswerTimeout && udp.Any(f => f.Waiting))
        {
            await Task.Delay(20);
        }

        await stopReceiving.CancelAsync();
        await Task.WhenAll(receivers).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        Settle(TimeSpan.MaxValue);
        foreach (var flow in tcp.Cast<IDisposable>().Concat(udp))
        {
            flow.Dispose();
        }

        stopSending.Dispose();
        stopReceiving.Dispose();
        return Counts();
    }

    public async ValueTask DisposeAsync() => _ = await StopAsync();

    private async Task OpenAsync(IReadOnlyList<(string Node, IPAddress Source)> sources, CancellationToken cancellationToken)
    {
        for (var i = 0; i < options.TcpConnections; i++)
        {
            var (node, source) = sources[i % sources.Count];
            tcp.Add(new TcpFlow(lab, node, source));
        }

        for (var i = 0; i < options.UdpFlows; i++)
        {
            // Offset, so that a client address does not carry only TCP or only UDP flows.
            var (node, source) = sources[(i + options.TcpConnections) % sources.Count];
            udp.Add(new UdpFlow(lab, node, source));
        }

        // In batches: hundreds of SYNs at once would measure the lab's accept queue, not the cluster.
        // One deadline for all of it: a VIP that nobody answers costs the open timeout once.
        var deadline = clock.Elapsed + options.OpenTimeout;
        foreach (var batch in tcp.Chunk(25))
        {
            var left = deadline - clock.Elapsed;
            _ = await Task.WhenAll(batch.Select(f => f.OpenAsync(lab.Vip, left > MinimumOpen ? left : MinimumOpen, cancellationToken)));
        }

        foreach (var flow in tcp.Where(f => f.FirstHost is not null))
        {
            senders.Add(flow.RunAsync(NextInterval, options.AnswerTimeout, (kind, host) => Record(kind, flow.Name, flow.FirstHost, host), stopSending.Token));
        }

        foreach (var flow in udp)
        {
            receivers.Add(flow.ReceiveAsync(stopReceiving.Token));
            senders.Add(SendLoopAsync(flow));
        }

        // The UDP flows' first hosts are known once their first datagrams are answered.
        while (udp.Any(f => f.FirstHost is null) && clock.Elapsed < deadline)
        {
            await Task.Delay(50, cancellationToken);
        }
    }

    private async Task SendLoopAsync(UdpFlow flow)
    {
        try
        {
            while (!stopSending.IsCancellationRequested)
            {
                await flow.SendAsync(() => clock.Elapsed, stopSending.Token);
                await Task.Delay(NextInterval(), stopSending.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private void Settle(TimeSpan sentBefore)
    {
        foreach (var flow in udp)
        {
            foreach (var (sentAt, kind, host) in flow.Settle(sentBefore))
            {
                Record(kind, flow.Name, flow.FirstHost, host, sentAt);
            }
        }
    }

    private void Record(FlowEventKind kind, string flow, string? firstHost, string? host, TimeSpan? at = null)
    {
        lock (gate)
        {
            events.Add(new FlowEvent(at ?? clock.Elapsed, kind, flow, firstHost, host));
        }
    }

    private TimeSpan NextInterval()
    {
        lock (gate)
        {
            var spread = options.MaxInterval - options.MinInterval;
            return options.MinInterval + spread * random.NextDouble();
        }
    }
}
