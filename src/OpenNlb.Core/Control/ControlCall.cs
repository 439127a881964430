using OpenNlb.Core.Convergence;

namespace OpenNlb.Core.Control;

/// <summary>
/// A request as <see cref="ControlParser"/> understood it: a question that changes nothing
/// (query, display, params, owner with its <see cref="Flow"/>) or an operation on the host
/// (<see cref="HostCommand"/>).
/// </summary>
public sealed record ControlCall(string Command)
{
    public const string Query = "query";
    public const string Display = "display";
    public const string Params = "params";
    public const string Owner = "owner";

    public HostCommand? HostCommand { get; init; }

    public OwnerRequest? Flow { get; init; }
}
