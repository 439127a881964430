namespace OpenNlb.Lab.Traffic;

/// <summary>
/// Measures one planned change: start the long-lived flows, make the change (which returns once
/// the cluster has taken the new map), let the flows speak a while longer, count what broke, check
/// that new flows follow the new map, stop the flows.
/// </summary>
public static class ChangeMeasurement
{
    public static readonly TimeSpan DefaultObserve = TimeSpan.FromSeconds(3);

    /// <param name="change">Makes the change; returns when the cluster has taken the new map.</param>
    /// <param name="newMap">The map new flows must follow; null: only report who answered them.</param>
    public static async Task<ChangeResult> RunAsync(
        LabHandle lab, string name, FlowOptions options, Func<CancellationToken, Task> change, LabModel? newMap,
        TimeSpan observe, int newTcp, int newUdp, CancellationToken cancellationToken)
    {
        await using var flows = await LongLivedFlows.StartAsync(lab, options, cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
        var before = flows.Counts();
        if (before.TcpOpenFailed > 0 || before.TcpBroken > 0 || before.UdpBad > 0)
        {
            throw new LabException($"{name}: the flows were not healthy before the change: {before}");
        }

        var since = flows.Elapsed;
        await change(cancellationToken);
        await Task.Delay(observe, cancellationToken);
        var counts = await flows.CountsAfterAnswersAsync(cancellationToken) - before;
        var events = flows.Events(since);
        var fresh = await NewFlows.CheckAsync(lab, newMap, newTcp, newUdp, TimeSpan.FromSeconds(3), cancellationToken);
        return new ChangeResult(name, counts, events, fresh);
    }
}
