using Microsoft.Extensions.Logging;
using OpenNlb.Core.DataPlane;
using OpenNlb.Core.Metrics;
using OpenNlb.Core.Query;
using OpenNlb.Core.Status;
using OpenNlb.Linux.Conntrack;
using OpenNlb.Linux.Nftables;

namespace OpenNlb.Daemon.Metrics;

/// <summary>
/// Makes one metrics page at scrape time, off the node loop: the loop's status (taken on the loop,
/// like a query's), the ruleset's counters (one netlink dump) and the
/// conntrack entries for the VIPs. One scrape at a time; a source that cannot be read leaves its
/// metrics out and says so (opennlb_scrape_source_up), and is logged when it fails and recovers.
/// </summary>
/// <param name="currentSpec">The data plane's spec now: a cluster section switch replaces it.</param>
internal sealed class MetricsSource(Func<DataPlaneSpec> currentSpec, Func<Task<HostStatus?>> status, ILogger log) : IDisposable
{
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _one = new(1, 1);
    private readonly ConntrackTable _conntrack = new();
    private bool _trafficDown;
    private bool _flowsDown;

    public async Task<string> PageAsync(CancellationToken ct)
    {
        await _one.WaitAsync(ct);
        try
        {
            var snapshot = await status().WaitAsync(StatusTimeout, ct)
                ?? throw new InvalidOperationException("nlbd is stopping");

            // After the status, which the loop answers: a switch of the cluster section is then
            // in both, or in the spec alone, and the next scrape has both again.
            var spec = currentSpec();
            var input = new HostMetricsInput
            {
                Cluster = spec.Cluster,
                BucketCount = spec.BucketCount,
                Status = snapshot,
                Traffic = Traffic(),
                Flows = await FlowsAsync(spec, ct),
            };
            return PrometheusText.Render(HostMetrics.Families(input));
        }
        finally
        {
            _one.Release();
        }
    }

    public void Dispose() => _one.Dispose();

    private IReadOnlyDictionary<string, TrafficCount>? Traffic()
    {
        try
        {
            var counters = NftCounterReader.Read(DataPlaneSpec.TableName);
            Recovered(ref _trafficDown, "nftables");
            return counters;
        }
        catch (NftablesException e)
        {
            Failed(ref _trafficDown, "nftables", e.Message);
            return null;
        }
    }

    private async Task<IReadOnlyList<RuleFlows>?> FlowsAsync(DataPlaneSpec spec, CancellationToken ct)
    {
        try
        {
            var entries = await _conntrack.ListAsync(spec.Cluster.Vips, ct);
            Recovered(ref _flowsDown, "conntrack");
            return [.. entries
                .Where(e => !e.IsClosed)
                .GroupBy(e => (FlowPlace.Of(spec, e.Protocol, e.Client, e.ClientPort, e.Vip, e.VipPort).Rule, e.Protocol))
                .Select(g => new RuleFlows(g.Key.Rule, g.Key.Protocol, g.Count()))];
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            Failed(ref _flowsDown, "conntrack", e.Message);
            return null;
        }
    }

    private void Failed(ref bool down, string source, string message)
    {
        if (!down)
        {
            down = true;
            Log.MetricsSourceFailed(log, source, message);
        }
    }

    private void Recovered(ref bool down, string source)
    {
        if (down)
        {
            down = false;
            Log.MetricsSourceRecovered(log, source);
        }
    }
}
