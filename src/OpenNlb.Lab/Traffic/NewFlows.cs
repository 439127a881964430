using System.Net.Sockets;

namespace OpenNlb.Lab.Traffic;

/// <summary>
/// After a change: fresh TCP connections and fresh UDP flows, each checked against the model of
/// the new map, so that "new flows follow the new map" is measured flow by flow.
/// </summary>
public static class NewFlows
{
    private const int Batch = 20;
    private static readonly TimeSpan UdpListen = TimeSpan.FromMilliseconds(500);

    /// <param name="model">The new map; null when there is none to hold the flows to (the static recipe): only who answered is reported.</param>
    /// <param name="timeout">Per TCP connection; leaves room for one SYN retransmission (1 s) if a bucket is still changing hands.</param>
    public static async Task<NewFlowReport> CheckAsync(LabHandle lab, LabModel? model, int tcpCount, int udpCount, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var sources = LongLivedFlows.Sources(lab);
        var outcomes = new List<NewFlowOutcome>();
        for (var batch = 0; batch < tcpCount; batch += Batch)
        {
            outcomes.AddRange(await Task.WhenAll(Enumerable.Range(batch, Math.Min(Batch, tcpCount - batch)).Select(async i =>
            {
                var (node, source) = sources[i % sources.Count];
                try
                {
                    var (port, host) = await LabTraffic.HttpAsync(lab, node, source, timeout: timeout);
                    return new NewFlowOutcome(false, source, port, model?.OwnerOf("web", source, port), [host]);
                }
                catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
                {
                    return new NewFlowOutcome(false, source, 0, null, []);
                }
            })));
            cancellationToken.ThrowIfCancellationRequested();
        }

        for (var batch = 0; batch < udpCount; batch += Batch)
        {
            outcomes.AddRange(await Task.WhenAll(Enumerable.Range(batch, Math.Min(Batch, udpCount - batch)).Select(async i =>
            {
                var (node, source) = sources[i % sources.Count];
                var (port, answers) = await LabTraffic.UdpAsync(lab, node, source, 16, UdpListen);
                return new NewFlowOutcome(true, source, port, model?.OwnerOf("echo", source, port), answers);
            })));
            cancellationToken.ThrowIfCancellationRequested();
        }

        return new NewFlowReport(outcomes);
    }
}
