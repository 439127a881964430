using OpenNlb.Core.Configuration;

namespace OpenNlb.Core.Metrics;

/// <summary>How many open conntrack entries this host has for one port rule (null: traffic no rule covers) and transport.</summary>
public sealed record RuleFlows(int? Rule, Protocol Protocol, long Flows);
