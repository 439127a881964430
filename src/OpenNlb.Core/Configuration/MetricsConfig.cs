using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace OpenNlb.Core.Configuration;

/// <summary>
/// This host's Prometheus endpoint (docs/metrics.md). On by default, on loopback only: the metrics
/// name the cluster's hosts and rules, and the endpoint has no authentication, so reaching it from
/// elsewhere is an operator's choice (a non-loopback <see cref="Address"/>, or a local proxy).
/// </summary>
public sealed record MetricsConfig
{
    public const int DefaultPort = 9747;

    /// <summary>Whether nlbd serves <c>GET /metrics</c> at all (<c>enabled: false</c> turns it off).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>The address to listen on: 127.0.0.1 by default, 0.0.0.0 or :: for every address.</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    public int Port { get; init; } = DefaultPort;

    /// <summary>The <c>listen</c> text: <c>127.0.0.1:9747</c>, <c>[::1]:9747</c>.</summary>
    public string Listen => Address.AddressFamily == AddressFamily.InterNetworkV6
        ? string.Create(CultureInfo.InvariantCulture, $"[{Address}]:{Port}")
        : string.Create(CultureInfo.InvariantCulture, $"{Address}:{Port}");
}
