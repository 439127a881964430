namespace OpenNlb.Lab.Traffic;

/// <summary>What went wrong with one flow, and when (since the flows started).</summary>
/// <param name="Flow">client address:port and protocol, e.g. "tcp 198.51.100.3:41234".</param>
/// <param name="FirstHost">The host that answered the flow first (the host it lived on), if any.</param>
/// <param name="Host">The host that answered this time, for a wrong or duplicate answer.</param>
public sealed record FlowEvent(TimeSpan At, FlowEventKind Kind, string Flow, string? FirstHost, string? Host = null)
{
    public override string ToString() =>
        $"t+{At.TotalMilliseconds:0} ms {Flow} (on {FirstHost ?? "?"}): {Kind}{(Host is null ? "" : " by " + Host)}";
}
