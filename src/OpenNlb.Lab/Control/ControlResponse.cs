using System.Text.Json;
using OpenNlb.Core.Status;

namespace OpenNlb.Lab.Control;

/// <summary>nlbd's answer: ok with a message and the host's status, or not ok with an error.</summary>
public sealed record ControlResponse(bool Ok, string? Message, string? Error, JsonElement? Status)
{
    /// <summary>
    /// The status as a <see cref="HostStatus"/>, or null when there is none or it does not read as
    /// one (a daemon newer than this library may report fields this one does not know).
    /// </summary>
    public HostStatus? HostStatus()
    {
        if (Status is not { ValueKind: JsonValueKind.Object } status)
        {
            return null;
        }

        try
        {
            return status.Deserialize(StatusJsonContext.Default.HostStatus);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The "state" field of the status, read on its own so that it survives a status format change.</summary>
    public string? State =>
        Status is { ValueKind: JsonValueKind.Object } status && status.TryGetProperty("state", out var state) && state.ValueKind == JsonValueKind.String
            ? state.GetString()
            : null;

    public static ControlResponse Parse(string line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, ControlJsonContext.Default.ControlResponse)
                ?? throw new LabException($"nlbd's control socket answered 'null'");
        }
        catch (JsonException e)
        {
            throw new LabException($"nlbd's control socket answered something that is not a response: {line}", e);
        }
    }
}
