using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenNlb.Lab.Control;

/// <summary>camelCase, nulls left out: `{"command":"weight","rule":"web","weight":80}`.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ControlRequest))]
[JsonSerializable(typeof(ControlResponse))]
internal sealed partial class ControlJsonContext : JsonSerializerContext;
