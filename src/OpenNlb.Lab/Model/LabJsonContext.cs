using System.Text.Json;
using System.Text.Json.Serialization;
using OpenNlb.Core.Configuration;

namespace OpenNlb.Lab.Model;

[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters =
    [
        typeof(IPAddressJsonConverter),
        typeof(IPNetworkAddressJsonConverter),
        typeof(LowerCaseEnumConverter<OperationMode>),
        typeof(LowerCaseEnumConverter<NodeRole>),
    ])]
[JsonSerializable(typeof(LabDescription))]
[JsonSerializable(typeof(LabStatus))]
[JsonSerializable(typeof(TeardownReport))]
[JsonSerializable(typeof(IReadOnlyList<TeardownReport>))]
public sealed partial class LabJsonContext : JsonSerializerContext;
