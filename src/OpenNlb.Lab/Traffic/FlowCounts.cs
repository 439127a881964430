using System.Globalization;

namespace OpenNlb.Lab.Traffic;

/// <summary>
/// What the long-lived flows saw, counted since they started; subtract two counts to get what
/// happened between them (<c>after - before</c>). TCP counts are connections, UDP counts datagrams.
/// </summary>
public sealed record FlowCounts
{
    public int TcpOpened { get; init; }

    /// <summary>Connections that could not be opened or got no first answer.</summary>
    public int TcpOpenFailed { get; init; }

    public int TcpReset { get; init; }

    public int TcpTimedOut { get; init; }

    public int TcpClosed { get; init; }

    public int TcpErrors { get; init; }

    /// <summary>Connections that got at least one answer from another host than their first.</summary>
    public int TcpWrongHost { get; init; }

    public long TcpRequestsAnswered { get; init; }

    public int UdpFlows { get; init; }

    public long UdpSent { get; init; }

    /// <summary>Datagrams answered exactly once, by the flow's first host.</summary>
    public long UdpAnsweredRight { get; init; }

    public long UdpWrongHost { get; init; }

    public long UdpDuplicate { get; init; }

    public long UdpUnanswered { get; init; }

    /// <summary>Connections broken in any way (reset, timed out, closed, other error).</summary>
    public int TcpBroken => TcpReset + TcpTimedOut + TcpClosed + TcpErrors;

    /// <summary>Datagrams answered wrongly or not at all.</summary>
    public long UdpBad => UdpWrongHost + UdpDuplicate + UdpUnanswered;

    public static FlowCounts operator -(FlowCounts after, FlowCounts before) => new()
    {
        TcpOpened = after.TcpOpened,
        TcpOpenFailed = after.TcpOpenFailed,
        TcpReset = after.TcpReset - before.TcpReset,
        TcpTimedOut = after.TcpTimedOut - before.TcpTimedOut,
        TcpClosed = after.TcpClosed - before.TcpClosed,
        TcpErrors = after.TcpErrors - before.TcpErrors,
        TcpWrongHost = after.TcpWrongHost - before.TcpWrongHost,
        TcpRequestsAnswered = after.TcpRequestsAnswered - before.TcpRequestsAnswered,
        UdpFlows = after.UdpFlows,
        UdpSent = after.UdpSent - before.UdpSent,
        UdpAnsweredRight = after.UdpAnsweredRight - before.UdpAnsweredRight,
        UdpWrongHost = after.UdpWrongHost - before.UdpWrongHost,
        UdpDuplicate = after.UdpDuplicate - before.UdpDuplicate,
        UdpUnanswered = after.UdpUnanswered - before.UdpUnanswered,
    };

    public static FlowCounts Subtract(FlowCounts after, FlowCounts before) => after - before;

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"TCP {TcpOpened} connections: {TcpReset} reset, {TcpTimedOut} timed out, {TcpClosed} closed, {TcpErrors} other errors, {TcpWrongHost} answered by another host ({TcpRequestsAnswered} requests answered); "
        + $"UDP {UdpFlows} flows, {UdpSent} datagrams: {UdpWrongHost} answered by another host, {UdpDuplicate} answered twice, {UdpUnanswered} unanswered");
}
