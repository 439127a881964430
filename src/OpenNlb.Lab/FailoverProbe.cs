using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OpenNlb.Lab;

/// <summary>
/// Measures a failover the way a client sees it: rounds of new connections, each to a bucket the
/// lost host owned, until a whole round is answered by the buckets' new owners. A round that began
/// before the survivors took over would have lost connections, so the start of the first whole round
/// served is an upper bound on the takeover time (within one round, 100 ms).
/// </summary>
public static class FailoverProbe
{
    public const string NoAnswer = "no answer";
    public const string WrongHost = "wrong host";
    private const int RoundSize = 8;
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RoundEvery = TimeSpan.FromMilliseconds(50);

    /// <param name="ports">Client ports whose flows the lost host owned; each is used once.</param>
    /// <param name="clock">Started when the host was lost.</param>
    /// <param name="onRound">Called with each round's start and what each attempt got (a host name, <see cref="NoAnswer"/> or <see cref="WrongHost"/>).</param>
    public static async Task<TimeSpan?> RunAsync(
        LabHandle lab, string node, IPAddress client, IReadOnlyList<int> ports, LabModel after, Stopwatch clock,
        TimeSpan limit, Action<TimeSpan, IReadOnlyList<string>>? onRound, CancellationToken cancellationToken)
    {
        for (var next = 0; clock.Elapsed < limit && next + RoundSize <= ports.Count; next += RoundSize)
        {
            var start = clock.Elapsed;
            var got = await Task.WhenAll(ports.Skip(next).Take(RoundSize).Select(p => AttemptAsync(lab, node, client, p, after)));
            onRound?.Invoke(start, got);
            if (got.All(g => g is not (NoAnswer or WrongHost)))
            {
                return start;
            }

            var rest = RoundEvery - (clock.Elapsed - start);
            if (rest > TimeSpan.Zero)
            {
                await Task.Delay(rest, cancellationToken);
            }
        }

        return null;
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
