namespace OpenNlb.Lab.Traffic;

/// <summary>What <see cref="LongLivedFlows"/> runs: how many flows, how often each speaks, how long an answer may take.</summary>
public sealed record FlowOptions
{
    /// <summary>Long-lived TCP connections to VIP:80, each carrying a request every interval (HTTP keep-alive).</summary>
    public int TcpConnections { get; init; } = 200;

    /// <summary>UDP flows to VIP:7 (one client port each), each sending a datagram every interval.</summary>
    public int UdpFlows { get; init; } = 50;

    /// <summary>Each flow waits a random time between these before its next request or datagram.</summary>
    public TimeSpan MinInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// A TCP request unanswered this long breaks its connection (counted as timed out; TCP would
    /// retransmit far longer, but a client this late has noticed); a UDP datagram unanswered this
    /// long is counted as unanswered.
    /// </summary>
    public TimeSpan AnswerTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long opening all the flows may take (connect, and each flow's first answer).</summary>
    public TimeSpan OpenTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How many of the clients' addresses (the last ones of <see cref="LongLivedFlows.Sources"/>)
    /// to leave unused, for a probe that binds chosen ports and must not collide with the flows.
    /// </summary>
    public int SpareSources { get; init; }

    /// <summary>Seeds the intervals, so two runs pace their flows alike.</summary>
    public int Seed { get; init; } = 1;
}
