using OpenNlb.Core.Convergence;

namespace OpenNlb.Core.Control;

/// <summary>
/// A request as <see cref="ControlParser"/> understood it: a question that changes nothing
/// (query, display, params, owner with its <see cref="Flow"/>) or an operation on the host
/// (<see cref="HostCommand"/>), or a reload of the configuration file; here, on another host
/// (<see cref="Node"/>) or on all of them (<see cref="Cluster"/>).
/// </summary>
public sealed record ControlCall(string Command)
{
    public const string Query = "query";
    public const string Display = "display";
    public const string Params = "params";
    public const string Owner = "owner";
    public const string Reload = "reload";

    public HostCommand? HostCommand { get; init; }

    public OwnerRequest? Flow { get; init; }

    /// <summary>Run it on cluster host N instead, over the authenticated cluster channel.</summary>
    public int? Node { get; init; }

    /// <summary>Run it on every host of the cluster.</summary>
    public bool Cluster { get; init; }
}
