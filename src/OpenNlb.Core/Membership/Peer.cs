using OpenNlb.Core.Allocation;
namespace OpenNlb.Core.Membership;

/// <summary>
/// The latest word from another host. <see cref="Excluded"/> says why a host that is heard is
/// nevertheless kept out of the cluster (a mismatched configuration, say), so operators see it.
/// </summary>
public sealed record Peer(
    int Priority,
    ulong Incarnation,
    ulong Sequence,
    long LastHeardMs,
    MemberState State,
    IReadOnlyList<MemberRule> Rules,
    string? Excluded);
