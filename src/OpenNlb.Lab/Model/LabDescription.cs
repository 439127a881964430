using System.Net;
using System.Text.Json.Serialization;
using OpenNlb.Core.Configuration;

namespace OpenNlb.Lab.Model;

/// <summary>What a lab is made of: written to lab.json by `up`, read back by status, exec and the tests.</summary>
public sealed record LabDescription
{
    public required string Name { get; init; }

    public required OperationMode Mode { get; init; }

    public required IPAddress Vip { get; init; }

    /// <summary>True when the lab was built without nlbd (nothing answers ARP for the VIP).</summary>
    public required bool NoNlbd { get; init; }

    /// <summary>The nlbd binary started on every host; null with <see cref="NoNlbd"/>.</summary>
    public string? NlbdPath { get; init; }

    /// <summary>The nlb binary whose hidden `lab serve` command is the lab service.</summary>
    public required string NlbPath { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required IReadOnlyList<LabNode> Nodes { get; init; }

    [JsonIgnore]
    public IEnumerable<LabNode> Hosts => Nodes.Where(n => n.Role == NodeRole.Host);

    [JsonIgnore]
    public IEnumerable<LabNode> Clients => Nodes.Where(n => n.Role == NodeRole.Client);

    public LabNode? Find(string node) => Nodes.FirstOrDefault(n => n.Name == node);
}
