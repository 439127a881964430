using System.Net;
using System.Text.RegularExpressions;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Metrics;
using OpenNlb.Core.Status;
using Xunit;

namespace OpenNlb.Core.Tests.Documentation;

/// <summary>docs/metrics.md lists exactly the metric families nlbd serves, each with its type.</summary>
public sealed partial class MetricsDocumentationTests
{
    [Fact]
    public void EveryMetricFamily_IsInTheTable_WithItsType_AndNothingElseIs()
    {
        var input = new HostMetricsInput
        {
            Cluster = new ClusterConfig { Name = "lab", Vips = [IPAddress.Parse("192.0.2.100")], PortRules = [] },
            BucketCount = 16384,
            Status = new HostStatus
            {
                HostPriority = 1,
                ProcessId = 1,
                State = "converged",
                LiveHosts = [1],
                BucketsOwned = new Dictionary<string, int>(),
                Convergences = 0,
                UpdatedAt = DateTimeOffset.UnixEpoch,
            },
        };
        var served = HostMetrics.Families(input).Select(f => $"{f.Name} {f.Type.ToString().ToLowerInvariant()}").Order(StringComparer.Ordinal);
        var documented = TableRow().Matches(RepositoryFiles.Read("docs/metrics.md"))
            .Select(m => $"{m.Groups["name"].Value} {m.Groups["type"].Value}")
            .Order(StringComparer.Ordinal);

        Assert.Equal(served, documented);
    }

    [GeneratedRegex(@"^\| `(?<name>opennlb_\w+)` \| (?<type>\w+) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
