using System.Text.Json;
using System.Text.Json.Serialization;
using OpenNlb.Core.Status;

namespace OpenNlb.Core.Control;

/// <summary>One request on the control socket: one line of JSON (docs/control.md).</summary>
public sealed record ControlRequest
{
    public string? Command { get; init; }

    /// <summary>A port rule's name, or "all", for enable, disable, drain and weight.</summary>
    public string? Rule { get; init; }

    public int? Weight { get; init; }

    public double? TimeoutSeconds { get; init; }

    /// <summary>Another host to run the command on, over the cluster channel (it must allow remote control).</summary>
    public int? Node { get; init; }

    /// <summary>Run the command on every host of the cluster: this one and every live peer.</summary>
    public bool? Cluster { get; init; }
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

/// <summary>The answer: ok with a message and the host's status, or an error that says what was wrong.</summary>
public sealed record ControlResponse
{
    public required bool Ok { get; init; }

    public string? Message { get; init; }

    public string? Error { get; init; }

    public HostStatus? Status { get; init; }

    /// <summary>Per host, for a command sent with <c>node</c> or <c>cluster</c>.</summary>
    public IReadOnlyList<HostResult>? Hosts { get; init; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ControlRequest))]
[JsonSerializable(typeof(ControlResponse))]
public sealed partial class ControlJsonContext : JsonSerializerContext;
