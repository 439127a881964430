using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenNlb.Core.Configuration;

namespace OpenNlb.Lab.Model;

/// <summary>An interface address as "192.0.2.11/24".</summary>
public sealed class IPNetworkAddressJsonConverter : JsonConverter<IPNetworkAddress>
{
    public override IPNetworkAddress Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? "";
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        return slash > 0
            && IPAddress.TryParse(text.AsSpan(0, slash), out var address)
            && int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            ? new IPNetworkAddress(address, prefix)
            : throw new JsonException($"not an address/prefix: {text}");
    }

    public override void Write(Utf8JsonWriter writer, IPNetworkAddress value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
