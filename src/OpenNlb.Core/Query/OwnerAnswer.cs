namespace OpenNlb.Core.Query;

/// <summary>
/// Which host serves a flow, and why. <see cref="Owner"/> is null when no host does (a disabled
/// rule, or no live host that may take the bucket).
/// </summary>
public sealed record OwnerAnswer(int? Owner, string? RuleName, string Reason, int? Bucket, string? HashExpression);
