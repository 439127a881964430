using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenNlb.Lab.Model;

/// <summary>Enums as the lower-case words the configuration uses ("unicast", "host").</summary>
public sealed class LowerCaseEnumConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Enum.TryParse<TEnum>(reader.GetString(), ignoreCase: true, out var value) && Enum.IsDefined(value)
            ? value
            : throw new JsonException($"not a {typeof(TEnum).Name}: {reader.GetString()}");

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString().ToLowerInvariant());
}
