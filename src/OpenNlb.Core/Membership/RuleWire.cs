using OpenNlb.Core.Allocation;

namespace OpenNlb.Core.Membership;

/// <summary>
/// A host's settings for one port rule on the wire: 3 bytes, load weight (0..100, 0xFF = equal),
/// handling priority (1..64), rule state (1..3).
/// </summary>
internal static class RuleWire
{
    public const int Size = 3;

    /// <summary>Wire value of an "equal" load weight.</summary>
    public const byte EqualWeight = 0xFF;

    public static bool IsValid(ReadOnlySpan<byte> rule) =>
        (rule[0] <= MemberRule.MaxLoadWeight || rule[0] == EqualWeight)
        && rule[1] is >= Member.MinPriority and <= Member.MaxPriority
        && rule[2] is >= (byte)RuleState.Enabled and <= (byte)RuleState.Draining;

    public static bool IsValid(MemberRule rule) =>
        (rule.LoadWeight is null or (>= 0 and <= MemberRule.MaxLoadWeight))
        && rule.HandlingPriority is >= Member.MinPriority and <= Member.MaxPriority
        && rule.State is >= RuleState.Enabled and <= RuleState.Draining;

    /// <summary>Reads a rule that <see cref="IsValid(ReadOnlySpan{byte})"/> accepted.</summary>
    public static MemberRule Read(ReadOnlySpan<byte> rule) =>
        new(rule[0] == EqualWeight ? null : rule[0], rule[1], (RuleState)rule[2]);

    public static void Write(ref WireWriter writer, MemberRule rule)
    {
        writer.Byte(rule.LoadWeight is { } weight ? (byte)weight : EqualWeight);
        writer.Byte((byte)rule.HandlingPriority);
        writer.Byte((byte)rule.State);
    }
}
