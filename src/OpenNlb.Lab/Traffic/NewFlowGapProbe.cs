using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OpenNlb.Lab.Traffic;

/// <summary>
/// How long new flows went unanswered during a change, as a client sees it: a new HTTP connection
/// to the VIP every 25 ms, each from a fresh client port and given 100 ms (no SYN is retransmitted
/// that soon, so each attempt tells the state of one moment). The gap is the longest stretch from
/// an unanswered attempt to the next answered one, within one attempt interval.
/// </summary>
public sealed class NewFlowGapProbe : IAsyncDisposable
{
    private static readonly TimeSpan Every = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromMilliseconds(100);

    /// <summary>Client ports the probe uses, below the kernel's ephemeral range that the long-lived flows take theirs from.</summary>
    private const int FirstPort = 10_000;
    private const int LastPort = 19_999;

    private readonly CancellationTokenSource _stop = new();
    private readonly List<(TimeSpan Start, Task<bool> Answered)> _attempts = [];
    private readonly Task _running;

    private NewFlowGapProbe(LabHandle lab, string node, IPAddress source, CancellationToken cancellationToken)
    {
        var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, cancellationToken);
        _running = RunAsync(lab, node, source, linked.Token).ContinueWith(_ => linked.Dispose(), TaskScheduler.Default);
    }

    public static NewFlowGapProbe Start(LabHandle lab, string node, IPAddress source, CancellationToken cancellationToken) =>
        new(lab, node, source, cancellationToken);

    /// <summary>Stops, waits for the attempts in flight, and says what was seen.</summary>
    public async Task<NewFlowGap> StopAsync()
    {
        await _stop.CancelAsync();
        await _running;
        var results = new List<(TimeSpan Start, bool Answered)>();
        foreach (var (start, answered) in _attempts)
        {
            results.Add((start, await answered));
        }

        TimeSpan? longest = null;
        TimeSpan? since = null;
        foreach (var (start, answered) in results.OrderBy(r => r.Start))
        {
            if (!answered)
            {
                since ??= start;
            }
            else if (since is { } from)
            {
                longest = longest is { } l && l >= start - from ? l : start - from;
                since = null;
            }
        }

        return new NewFlowGap(results.Count, results.Count(r => !r.Answered), longest, since is not null);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            _ = await StopAsync();
        }

        _stop.Dispose();
    }

    private async Task RunAsync(LabHandle lab, string node, IPAddress source, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var port = FirstPort;
        while (!ct.IsCancellationRequested && port <= LastPort)
        {
            var start = clock.Elapsed;
            _attempts.Add((start, AttemptAsync(lab, node, source, port++)));
            var rest = Every - (clock.Elapsed - start);
            try
            {
                await Task.Delay(rest > TimeSpan.Zero ? rest : TimeSpan.Zero, ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task<bool> AttemptAsync(LabHandle lab, string node, IPAddress source, int port)
    {
        try
        {
            _ = await LabTraffic.HttpAsync(lab, node, source, clientPort: port, timeout: AttemptTimeout);
            return true;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or LabException)
        {
            return false;
        }
    }
}

/// <param name="Attempts">New connections tried.</param>
/// <param name="Unanswered">Of those, not answered within 100 ms.</param>
/// <param name="Longest">The longest stretch without an answer; null: every attempt was answered.</param>
/// <param name="EndedUnanswered">The last attempts were not answered: the gap had not ended when the probe stopped.</param>
public sealed record NewFlowGap(int Attempts, int Unanswered, TimeSpan? Longest, bool EndedUnanswered)
{
    public override string ToString() =>
        $"new connections every 25 ms: {Unanswered} of {Attempts} unanswered"
        + (Longest is { } gap ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $", longest gap {gap.TotalMilliseconds:0} ms") : string.Empty)
        + (EndedUnanswered ? " (still unanswered at the end)" : string.Empty);
}
