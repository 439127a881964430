namespace OpenNlb.Core.Membership;

/// <summary>What this host is, for judging the heartbeats it receives.</summary>
public sealed record LocalIdentity(uint ClusterId, ulong Fingerprint, int Priority, ulong Incarnation, int RuleCount);
