using System.Text.Json;
using System.Text.Json.Serialization;
using OpenNlb.Core.Query;
using OpenNlb.Core.Status;

namespace OpenNlb.Core.Control;

/// <summary>One request on the control socket: one line of JSON (docs/control.md).</summary>
public sealed record ControlRequest
{
    public string? Command { get; init; }

    /// <summary>For enable, disable, drain and weight: what <see cref="RuleSelector"/> takes (a name, VIP:PORT, a port, or "all").</summary>
    public string? Rule { get; init; }

    public int? Weight { get; init; }

    public double? TimeoutSeconds { get; init; }

    /// <summary>Another host to run the command on, over the cluster channel (it must allow remote control).</summary>
    public int? Node { get; init; }

    /// <summary>Run the command on every host of the cluster: this one and every live peer.</summary>
    public bool? Cluster { get; init; }

    /// <summary>For owner: the client, "198.51.100.7" or "198.51.100.7:51234" ([2001:db8::7]:51234).</summary>
    public string? Client { get; init; }

    /// <summary>For owner: the VIP the flow goes to; absent, the primary cluster IP.</summary>
    public string? Vip { get; init; }

    /// <summary>For owner: the destination port on the VIP.</summary>
    public int? Port { get; init; }

    /// <summary>For owner: "tcp" (absent) or "udp".</summary>
    public string? Protocol { get; init; }
}

/// <summary>One host's answer to a command sent to it (or run locally) for <c>--node</c> or <c>--cluster</c>.</summary>
public sealed record HostResult
{
    public required int Host { get; init; }

    public required bool Ok { get; init; }

    /// <summary>The host's state after the command (as <c>nlb query</c> names it); null when it did not answer.</summary>
    public string? State { get; init; }

    public string? Message { get; init; }

    public string? Error { get; init; }
}

/// <summary>
/// The answer to every command, and what every `nlb ... --json` prints: ok with a message and what
/// the command asked for, or an error that says what was wrong. Fields are only ever added; a
/// change that is not an addition raises <see cref="SchemaVersion"/> (docs/cli.md).
/// </summary>
public sealed record ControlResponse
{
    /// <summary>The version of this answer's schema that this build writes.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Absent (0) in answers of an nlbd older than the field.</summary>
    public int SchemaVersion { get; init; }

    public required bool Ok { get; init; }

    public string? Message { get; init; }

    public string? Error { get; init; }

    /// <summary>The host's state and view of the cluster (query, display, and after every host command).</summary>
    public HostStatus? Status { get; init; }

    /// <summary>Per host, for a command sent with <c>node</c> or <c>cluster</c>.</summary>
    public IReadOnlyList<HostResult>? Hosts { get; init; }

    /// <summary>The configuration in effect (params, display).</summary>
    public ParamsReport? Params { get; init; }

    /// <summary>The last events nlbd logged, oldest first (display).</summary>
    public IReadOnlyList<LogEvent>? Events { get; init; }

    /// <summary>Which host serves a flow, and why (owner).</summary>
    public OwnerReport? Owner { get; init; }

    /// <summary>The cluster MACs of a VIP (ip2mac; computed by nlb, no daemon involved).</summary>
    public MacReport? Mac { get; init; }

    public static ControlResponse Failed(string error) => new() { SchemaVersion = CurrentSchemaVersion, Ok = false, Error = error };
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ControlRequest))]
[JsonSerializable(typeof(ControlResponse))]
public sealed partial class ControlJsonContext : JsonSerializerContext;
