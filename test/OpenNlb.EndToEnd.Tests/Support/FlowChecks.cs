using OpenNlb.Lab;
using OpenNlb.Lab.Traffic;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.Support;

/// <summary>What the planned-change tests assert of the long-lived flows that ran through a change.</summary>
internal static class FlowChecks
{
    /// <summary>
    /// Prints what the flows saw since <paramref name="before"/> (with the first events and the end
    /// of each daemon's log, to read when it fails) and asserts that nothing broke: no TCP
    /// connection broken or answered by another host, no datagram answered by another host than
    /// its flow's or twice, and at most <paramref name="unansweredPercent"/> % unanswered.
    /// </summary>
    public static async Task AssertNothingBrokenAsync(
        ITestOutputHelper output, string change, LabHandle lab, LongLivedFlows flows, FlowCounts before, TimeSpan since,
        int tcpConnections, int unansweredPercent, CancellationToken ct)
    {
        var during = await flows.CountsAfterAnswersAsync(ct) - before;
        var events = flows.Events(since);
        output.WriteLine($"{change}: {during}");
        foreach (var e in events.Take(20))
        {
            output.WriteLine("  " + e);
        }

        foreach (var host in lab.Hosts)
        {
            var log = lab.Paths.NlbdLog(host.HostPriority);
            output.WriteLine($"{log}:");
            foreach (var line in File.Exists(log) ? (await File.ReadAllLinesAsync(log, ct)).TakeLast(15) : [])
            {
                output.WriteLine("  " + line);
            }
        }

        var detail = $"{change}: {during}; first events: {string.Join("; ", events.Take(8))}";
        Assert.True(during.TcpRequestsAnswered > 0 && during.UdpSent > 0, $"the flows did not speak during the change: {detail}");
        Assert.True(during.TcpBroken == 0, $"{during.TcpBroken} of {tcpConnections} TCP connections broken. {detail}");
        Assert.True(during.TcpWrongHost == 0, $"{during.TcpWrongHost} TCP connections answered by another host. {detail}");
        Assert.True(during.UdpWrongHost == 0 && during.UdpDuplicate == 0, $"{during.UdpWrongHost} datagrams answered by another host than their flow's, {during.UdpDuplicate} answered twice. {detail}");
        Assert.True(during.UdpUnanswered * 100 <= during.UdpSent * unansweredPercent, $"{during.UdpUnanswered} of {during.UdpSent} datagrams unanswered. {detail}");
    }
}
