namespace OpenNlb.Lab.Bench;

/// <summary>What one host sent to the heartbeat port: datagrams and IP bytes per second, and the mean IP packet size.</summary>
public sealed record HeartbeatRate(string Host, double DatagramsPerSecond, double BytesPerSecond, double BytesPerDatagram);
