using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenNlb.Core.Status;

/// <summary>
/// What a running nlbd reports about itself and its view of the cluster: written as JSON to the
/// daemon's state file and answered on the control socket (<c>nlb query --json</c>). Read by the
/// lab, the tests and scripts; fields are only ever added (docs/control.md).
/// </summary>
public sealed record HostStatus
{
    public required int HostPriority { get; init; }

    public required int ProcessId { get; init; }

    /// <summary>converging, converged, converged-default, draining, stopped, suspended, mismatched, duplicate-priority.</summary>
    public required string State { get; init; }

    /// <summary>Why the host is kept out of the cluster (mismatched, duplicate-priority), in words.</summary>
    public string? Reason { get; init; }

    /// <summary>Priorities of the hosts this host counts as live participants (itself included), ascending.</summary>
    public required IReadOnlyList<int> LiveHosts { get; init; }

    /// <summary>The hosts of the adopted map (started participants), ascending.</summary>
    public IReadOnlyList<int> Members { get; init; } = [];

    /// <summary>The adopted map's epoch (counter and issuer, as one number; 0 = none yet).</summary>
    public ulong Epoch { get; init; }

    public int? DefaultHost { get; init; }

    /// <summary>Buckets whose new flows this host takes, by port rule name (single-host rules: 1 or 0).</summary>
    public required IReadOnlyDictionary<string, int> BucketsOwned { get; init; }

    /// <summary>Buckets this host no longer owns but still serves existing flows of, by port rule name.</summary>
    public IReadOnlyDictionary<string, int> BucketsKept { get; init; } = new Dictionary<string, int>();

    /// <summary>This host's settings per port rule: state (enabled, disabled, draining) and load weight.</summary>
    public IReadOnlyList<RuleStatus> Rules { get; init; } = [];

    /// <summary>Every other host heard recently, with what it says and whether it counts.</summary>
    public IReadOnlyList<PeerStatus> Peers { get; init; } = [];

    public required long Convergences { get; init; }

    /// <summary>How long the last convergence took, from the first change seen to this host's share claimed, in ms.</summary>
    public double? LastConvergenceMs { get; init; }

    /// <summary>
    /// How long the last failover took, in ms: from the last heartbeat of a host that fell silent
    /// to this host serving its buckets (taken over, or converged without it). Null until one happened.
    /// </summary>
    public double? LastFailoverMs { get; init; }

    /// <summary>
    /// A changed cluster section this host has read (<c>nlb reload</c>) and waits to switch to
    /// with every other host; null when none (docs/control.md, "Changing the cluster section").
    /// </summary>
    public StagedStatus? Staged { get; init; }

    /// <summary>Event counters: heartbeats sent, received and rejected by reason, hand-overs, lease renewals.</summary>
    public IReadOnlyDictionary<string, long> Counters { get; init; } = new Dictionary<string, long>();

    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <param name="Fingerprint">The staged cluster section's fingerprint, 16 hex digits.</param>
/// <param name="Changes">What it changes, key by key.</param>
/// <param name="WaitingFor">Live hosts that have not staged it yet: the switch waits for them.</param>
public sealed record StagedStatus(string Fingerprint, IReadOnlyList<string> Changes, IReadOnlyList<int> WaitingFor);

/// <param name="Filtering">The rule's filtering (multiple, single, disabled): which of weight and handling priority matters.</param>
public sealed record RuleStatus(string Name, string State, int? LoadWeight, int HandlingPriority, string? Filtering = null);

public sealed record PeerStatus(int HostPriority, string State, bool Live, bool Participant, string? KeptOut, ulong Epoch, long SilentForMs);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HostStatus))]
public sealed partial class StatusJsonContext : JsonSerializerContext;
