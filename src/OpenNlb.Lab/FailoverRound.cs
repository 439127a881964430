namespace OpenNlb.Lab;

/// <summary>One round of <see cref="FailoverProbe"/>: when it started and what each new connection got.</summary>
public sealed record FailoverRound(TimeSpan Start, IReadOnlyList<string> Got, bool Served);
