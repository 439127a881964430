using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenNlb.Lab.Model;

/// <summary>An address as its usual text, "192.0.2.100".</summary>
public sealed class IPAddressJsonConverter : JsonConverter<IPAddress>
{
    public override IPAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        IPAddress.TryParse(reader.GetString() ?? "", out var address)
            ? address
            : throw new JsonException($"not an IP address: {reader.GetString()}");

    public override void Write(Utf8JsonWriter writer, IPAddress value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
