namespace OpenNlb.Lab;

/// <summary>One crash: which host, how long until its buckets were served by the others (null: not within the limit), and the probe's rounds.</summary>
public sealed record CrashResult(int Host, TimeSpan? ServedAfter, IReadOnlyList<FailoverRound> Rounds);
