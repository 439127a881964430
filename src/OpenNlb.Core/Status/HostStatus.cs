using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenNlb.Core.Status;

/// <summary>
/// What a running nlbd reports about itself and its view of the cluster. Written as JSON to the
/// daemon's state file (and later served by the control API); read by `nlb lab status` and the tests.
/// </summary>
public sealed record HostStatus
{
    public required int HostPriority { get; init; }

    public required int ProcessId { get; init; }

    /// <summary>converging, converged, converged-default, stopped, suspended.</summary>
    public required string State { get; init; }

    /// <summary>Priorities of the hosts this host believes alive (itself included), ascending.</summary>
    public required IReadOnlyList<int> LiveHosts { get; init; }

    public required int? DefaultHost { get; init; }

    /// <summary>Buckets owned by this host, by port rule name (single-host rules: 1 or 0).</summary>
    public required IReadOnlyDictionary<string, int> BucketsOwned { get; init; }

    public required long Convergences { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true)]
[JsonSerializable(typeof(HostStatus))]
public sealed partial class StatusJsonContext : JsonSerializerContext;
