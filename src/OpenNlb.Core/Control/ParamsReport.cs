using System.Globalization;
using System.Net.Sockets;
using System.Text.Json.Serialization;
using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.DataPlane;
using OpenNlb.Core.Hashing;

namespace OpenNlb.Core.Control;

/// <summary>
/// nlb.exe's params: the configuration a running nlbd uses, with what derives from it (the
/// fingerprint hosts compare, the hash seed, the cluster MAC, detection time and lease). Words as
/// the YAML file spells them. The cluster key is never in it, only where it comes from.
/// </summary>
public sealed record ParamsReport
{
    /// <summary>The file nlbd read its configuration from.</summary>
    public string? ConfigPath { get; init; }

    /// <summary>SHA-256 of that file as nlbd read it, in hex: tells whether the file changed since.</summary>
    public string? FileSha256 { get; init; }

    /// <summary>The cluster section's fingerprint (16 hex digits): hosts with different ones keep each other out.</summary>
    public required string Fingerprint { get; init; }

    public required ClusterParams Cluster { get; init; }

    public required HostParams Host { get; init; }

    public static ParamsReport Of(NlbConfig config, string? configPath = null, string? fileSha256 = null)
    {
        var c = config.Cluster;
        var primary = c.Vips.Count > 0 && c.Vips[0].AddressFamily == AddressFamily.InterNetwork ? c.Vips[0] : null;
        var hb = c.Heartbeat;
        return new ParamsReport
        {
            ConfigPath = configPath,
            FileSha256 = fileSha256,
            Fingerprint = ConfigFingerprint.Of(c).ToString("x16", CultureInfo.InvariantCulture),
            Cluster = new ClusterParams(
                c.Name,
                c.Vips.Select(v => v.ToString()).ToList(),
                ConfigNames.Modes.NameOf(c.Mode),
                primary is null ? null : ClusterMac.Format(c.Mode == OperationMode.Multicast ? ClusterMac.Multicast(primary) : ClusterMac.Unicast(primary)),
                c.FilterIcmp,
                "0x" + HashSeed.ForCluster(c.Name).ToString("x8", CultureInfo.InvariantCulture),
                BucketAllocator.BucketCount,
                new HeartbeatParams(
                    hb.PeriodMs,
                    hb.Tolerance,
                    hb.Port,
                    (long)hb.DetectionTime.TotalMilliseconds,
                    (long)hb.Lease.TotalMilliseconds,
                    hb.KeyFile is null ? "inline" : "file",
                    hb.KeyFile),
                c.PortRules.Select(r => new PortRuleParams(
                    r.Name,
                    r.Vip?.ToString() ?? ConfigNames.All,
                    r.Ports.First,
                    r.Ports.Last,
                    ConfigNames.Protocols.NameOf(r.Protocol),
                    ConfigNames.Filtering.NameOf(r.Filtering),
                    ConfigNames.Affinities.NameOf(r.Affinity),
                    r.AffinityTimeoutSeconds)).ToList()),
            Host = new HostParams(
                config.Host.Priority,
                config.Host.Interface,
                config.Host.DedicatedIp.ToString(),
                ConfigNames.HostStates.NameOf(config.Host.InitialState),
                c.PortRules.Select(r =>
                {
                    var s = config.Host.RuleSettings(r.Name);
                    return new HostRuleParams(r.Name, s.LoadWeight, s.HandlingPriority ?? config.Host.Priority);
                }).ToList()),
        };
    }
}

/// <param name="ClusterMac">The MAC of the configured mode, from the primary VIP; null when that VIP is IPv6.</param>
/// <param name="HashSeed">The jhash seed: 0x and 8 hex digits.</param>
public sealed record ClusterParams(
    string Name,
    IReadOnlyList<string> Vips,
    string Mode,
    string? ClusterMac,
    bool FilterIcmp,
    string HashSeed,
    int BucketCount,
    HeartbeatParams Heartbeat,
    IReadOnlyList<PortRuleParams> PortRules);

/// <param name="Key">"inline" (in the file) or "file" (<paramref name="KeyFile"/>); the key itself is never shown.</param>
public sealed record HeartbeatParams(int PeriodMs, int Tolerance, int Port, long DetectionMs, long LeaseMs, string Key, string? KeyFile);

/// <param name="Vip">An address, or "all".</param>
public sealed record PortRuleParams(
    string Name,
    string Vip,
    int FirstPort,
    int LastPort,
    string Protocol,
    string Filtering,
    string Affinity,
    int AffinityTimeoutSeconds);

public sealed record HostParams(int Priority, string Interface, string DedicatedIp, string InitialState, IReadOnlyList<HostRuleParams> PortRules);

/// <param name="LoadWeight">Configured load weight; null = equal (written as null, not left out).</param>
/// <param name="HandlingPriority">Configured handling priority, or the host priority when none is.</param>
public sealed record HostRuleParams(
    string Rule,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? LoadWeight,
    int HandlingPriority);
