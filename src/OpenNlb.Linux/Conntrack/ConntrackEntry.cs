using System.Net;
using OpenNlb.Core.Configuration;

namespace OpenNlb.Linux.Conntrack;

/// <summary>
/// One conntrack entry of a flow to a VIP, in its original direction: the client sent it to the
/// VIP. <see cref="TcpState"/> is conntrack's name for the state (ESTABLISHED, TIME_WAIT, ...),
/// null for UDP; <see cref="Timeout"/> is what is left of the entry's life.
/// </summary>
public sealed record ConntrackEntry(Protocol Protocol, IPAddress Client, int ClientPort, IPAddress Vip, int VipPort, string? TcpState, TimeSpan Timeout)
{
    /// <summary>
    /// A TCP connection that has ended (TIME_WAIT, CLOSE): conntrack remembers it for up to two
    /// minutes, but no packet of it needs this host any more.
    /// </summary>
    public bool IsClosed => TcpState is "TIME_WAIT" or "CLOSE";
}
