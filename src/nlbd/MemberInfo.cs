using OpenNlb.Core.Membership;

namespace OpenNlb.Daemon;

/// <summary>A cluster member as the allocator needs it: its id and its per-rule settings.</summary>
internal sealed record MemberInfo(int Priority, IReadOnlyList<RuleParams> Rules)
{
    public static IEqualityComparer<MemberInfo> Comparer { get; } = EqualityComparer<MemberInfo>.Create(
        (a, b) => a is not null && b is not null && a.Priority == b.Priority && a.Rules.SequenceEqual(b.Rules),
        m => m.Priority);
}
