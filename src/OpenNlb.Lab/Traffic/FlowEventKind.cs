namespace OpenNlb.Lab.Traffic;

/// <summary>How a flow went wrong.</summary>
public enum FlowEventKind
{
    /// <summary>The TCP connection was reset.</summary>
    TcpReset,

    /// <summary>A request on the TCP connection got no answer within the answer timeout.</summary>
    TcpTimedOut,

    /// <summary>The server closed the TCP connection.</summary>
    TcpClosed,

    /// <summary>Any other socket error on the TCP connection.</summary>
    TcpError,

    /// <summary>A request was answered by another host than the connection's first answer.</summary>
    TcpWrongHost,

    /// <summary>A datagram was answered by another host than the flow's first answer.</summary>
    UdpWrongHost,

    /// <summary>A datagram was answered more than once (two hosts took it).</summary>
    UdpDuplicate,

    /// <summary>A datagram got no answer within the answer timeout.</summary>
    UdpUnanswered,
}
