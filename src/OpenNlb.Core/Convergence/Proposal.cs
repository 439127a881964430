using OpenNlb.Core.Allocation;

namespace OpenNlb.Core.Convergence;

/// <summary>
/// A cluster map as the coordinator proposed it: the members and their per-rule settings, which is
/// all <see cref="BucketAllocator.Allocate"/> needs, under an epoch that orders proposals totally.
/// Every host adopts the highest epoch it hears, so two hosts that adopted the same epoch compute
/// the same map. See docs/convergence.md.
/// </summary>
/// <param name="Epoch">Counter in the high 56 bits, issuing host's priority in the low 8: proposals of two coordinators never tie.</param>
/// <param name="Members">Sorted by priority; only started hosts, with their rules as advertised.</param>
public sealed record Proposal(ulong Epoch, IReadOnlyList<Member> Members)
{
    /// <summary>What a host that has adopted nothing yet advertises.</summary>
    public static Proposal None { get; } = new(0, []);

    public ulong Counter => Epoch >> 8;

    public int Issuer => (int)(Epoch & 0xFF);

    public static ulong MakeEpoch(ulong counter, int issuer) => (counter << 8) | (byte)issuer;

    public bool Equals(Proposal? other) =>
        other is not null && Epoch == other.Epoch && Members.Count == other.Members.Count
        && Members.Zip(other.Members).All(p => p.First.Priority == p.Second.Priority && p.First.Rules.SequenceEqual(p.Second.Rules));

    public override int GetHashCode() => HashCode.Combine(Epoch, Members.Count);
}
