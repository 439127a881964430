using OpenNlb.Core.Allocation;
namespace OpenNlb.Core.Membership;

/// <summary>Why a datagram was not accepted as a heartbeat; each is counted by the daemon.</summary>
public enum HeartbeatError
{
    None = 0,
    Truncated,
    Oversized,
    BadMagic,
    UnsupportedVersion,
    UnknownType,
    LengthMismatch,
    BadHostPriority,
    BadState,
    BadMemberRule,
}
