namespace OpenNlb.Core.Metrics;

/// <summary>What one of the ruleset's named counters holds: packets and their bytes (IP header included).</summary>
public readonly record struct TrafficCount(long Packets, long Bytes);
