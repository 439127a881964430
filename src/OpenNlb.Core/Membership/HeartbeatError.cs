namespace OpenNlb.Core.Membership;

/// <summary>
/// Why a datagram (heartbeat or hand-over) was not accepted; the daemon counts each. The first
/// group is decided from the fixed header and the length alone, <see cref="Forged"/> by the tag,
/// the rest only for authentic datagrams (a peer with a bug, or another version). Append only.
/// </summary>
public enum HeartbeatError
{
    None = 0,
    Truncated,
    Oversized,
    BadMagic,
    UnsupportedVersion,

    /// <summary>Not the type this parser reads (a hand-over given to the heartbeat parser, or an unknown type).</summary>
    UnknownType,

    /// <summary>The declared length is not the datagram's, or the counts inside do not add up to it.</summary>
    LengthMismatch,
    BadHostPriority,
    BadState,

    /// <summary>A per-rule setting out of range: weight, handling priority or rule state.</summary>
    BadMemberRule,

    /// <summary>The tag is not the HMAC of the datagram under our cluster key: forged, corrupted, or another key.</summary>
    Forged,

    /// <summary>The adopted proposal is malformed: an epoch without an issuer, members out of order.</summary>
    BadProposal,

    /// <summary>Hand-over bookkeeping out of range: a chunk count over the limit, a chunk index not below it.</summary>
    BadHandover,

    /// <summary>An address family other than IPv4 (4) or IPv6 (6).</summary>
    BadAddress,

    /// <summary>A hand-over entry names a port rule index beyond the limit.</summary>
    BadRuleIndex,

    /// <summary>A remote control request or reply with a field out of range or text that is not clean UTF-8.</summary>
    BadRemote,
}
