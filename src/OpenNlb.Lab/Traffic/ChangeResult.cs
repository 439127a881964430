namespace OpenNlb.Lab.Traffic;

/// <summary>What one planned change did to the long-lived flows, and where new flows went after it; or why it was not measured.</summary>
public sealed record ChangeResult(string Change, FlowCounts? Counts, IReadOnlyList<FlowEvent> Events, NewFlowReport? NewFlows, string? Skipped = null)
{
    public static ChangeResult Skip(string change, string why) => new(change, null, [], null, why);

    /// <summary>TCP connections and UDP datagrams that went wrong, e.g. "82 of 200 TCP broken (82 reset); UDP 391 wrong host, 38 twice, 84 lost of 3,062".</summary>
    public string Summary => Counts is not { } c
        ? $"not measured: {Skipped}"
        : string.Create(
            System.Globalization.CultureInfo.InvariantCulture,
            $"TCP {c.TcpBroken} of {c.TcpOpened} broken ({c.TcpReset} reset, {c.TcpTimedOut} timed out{(c.TcpClosed + c.TcpErrors > 0 ? $", {c.TcpClosed + c.TcpErrors} closed or failed" : "")}); "
            + $"UDP {c.UdpWrongHost} wrong host, {c.UdpDuplicate} twice, {c.UdpUnanswered} unanswered of {c.UdpSent:N0}");
}
