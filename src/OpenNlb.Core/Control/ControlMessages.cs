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
}

/// <summary>The answer: ok with a message and the host's status, or an error that says what was wrong.</summary>
public sealed record ControlResponse
{
    public required bool Ok { get; init; }

    public string? Message { get; init; }

    public string? Error { get; init; }

    public HostStatus? Status { get; init; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ControlRequest))]
[JsonSerializable(typeof(ControlResponse))]
public sealed partial class ControlJsonContext : JsonSerializerContext;
