using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OpenNlb.Lab;

/// <summary>
/// Measures a failover the way a client sees it: rounds of new connections, each to a bucket the
/// lost host owned, started every 25 ms (overlapping: an attempt waits up to 100 ms), until a
/// whole round is answered by the buckets' new owners. Each round holds buckets of every new
/// owner, because each survivor takes its part on its own. A SYN that nobody accepts is
/// retransmitted only after a second, so a round that began before the survivors took over fails;
/// the start of the first whole round served is an upper bound on the takeover time, within one
/// round interval.
/// </summary>
public static class FailoverProbe
{
    public const string NoAnswer = "no answer";
    public const string WrongHost = "wrong host";
    private const int RoundSize = 8;
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RoundEvery = TimeSpan.FromMilliseconds(25);

    /// <param name="ports">Client ports whose flows the lost host owned; each is used once.</param>
    /// <param name="clock">Started when the host was lost.</param>
    /// <param name="onRound">Called, in order of their start, with each round's start and what each attempt got (a host name, <see cref="NoAnswer"/> or <see cref="WrongHost"/>).</param>
    public static async Task<TimeSpan?> RunAsync(
        LabHandle lab, string node, IPAddress client, IReadOnlyList<int> ports, LabModel after, Stopwatch clock,
        TimeSpan limit, Action<TimeSpan, IReadOnlyList<string>>? onRound, CancellationToken cancellationToken)
    {
        var rounds = await MeasureAsync(lab, node, client, ports, after, clock, limit, cancellationToken);
        var served = rounds.FirstOrDefault(r => r.Served);
        foreach (var round in rounds.TakeWhile(r => !r.Served).Concat(served is null ? [] : [served]))
        {
            onRound?.Invoke(round.Start, round.Got);
        }

        return served?.Start;
    }

    /// <summary>Every round until the first one served (and the ones that started before it), in order of their start.</summary>
    public static async Task<IReadOnlyList<FailoverRound>> MeasureAsync(
        LabHandle lab, string node, IPAddress client, IReadOnlyList<int> ports, LabModel after, Stopwatch clock,
        TimeSpan limit, CancellationToken cancellationToken)
    {
        var ordered = Interleaved(ports, p => after.OwnerOf("web", client, p));
        var running = new List<(TimeSpan Start, Task<string[]> Attempts)>();
        for (var next = 0; clock.Elapsed < limit && next + RoundSize <= ordered.Count; next += RoundSize)
        {
            var start = clock.Elapsed;
            running.Add((start, Task.WhenAll(ordered.Skip(next).Take(RoundSize).Select(p => AttemptAsync(lab, node, client, p, after)))));

            // A round served ends the search once every round started before it has finished too.
            if (running.Any(r => r.Attempts.IsCompletedSuccessfully && IsServed(r.Attempts.Result)))
            {
                break;
            }

            var rest = RoundEvery - (clock.Elapsed - start);
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest, cancellationToken);
            }
        }

        await Task.WhenAll(running.Select(r => r.Attempts));
        var rounds = running.Select(r => new FailoverRound(r.Start, r.Attempts.Result, IsServed(r.Attempts.Result))).ToList();
        var first = rounds.FindIndex(r => r.Served);
        return first < 0 ? rounds : rounds[..(first + 1)];
    }

    private static bool IsServed(string[] got) => got.All(g => g is not (NoAnswer or WrongHost));

    /// <summary>The ports reordered so that consecutive ones go to different new owners in turn.</summary>
    private static List<int> Interleaved(IReadOnlyList<int> ports, Func<int, string> owner)
    {
        var queues = ports.GroupBy(owner).Select(g => new Queue<int>(g)).ToList();
        var result = new List<int>(ports.Count);
        while (queues.Any(q => q.Count > 0))
        {
            foreach (var queue in queues.Where(q => q.Count > 0))
            {
                result.Add(queue.Dequeue());
            }
        }

        return result;
    }

    private static async Task<string> AttemptAsync(LabHandle lab, string node, IPAddress client, int port, LabModel after)
    {
        try
        {
            var (_, host) = await LabTraffic.HttpAsync(lab, node, client, clientPort: port, timeout: AttemptTimeout);
            return host == after.OwnerOf("web", client, port) ? host : WrongHost;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
        {
            return NoAnswer;
        }
    }
}
