using System.Net;
using OpenNlb.Core.Configuration;

namespace OpenNlb.Lab.Model;

/// <summary>`nlb lab status`: the lab and every node as they are now.</summary>
public sealed record LabStatus
{
    public required string Name { get; init; }

    public required OperationMode Mode { get; init; }

    public required IPAddress Vip { get; init; }

    public required bool NoNlbd { get; init; }

    public required string StateDirectory { get; init; }

    public required IReadOnlyList<NodeStatus> Nodes { get; init; }
}
