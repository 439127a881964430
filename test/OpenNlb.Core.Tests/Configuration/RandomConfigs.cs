using System.Net;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Membership;

namespace OpenNlb.Core.Tests.Configuration;

/// <summary>
/// Valid configurations drawn from a seeded random: names that YAML might misread (true, null, 1e5,
/// -a), both address families, every enum value, host settings for some rules.
/// </summary>
internal static class RandomConfigs
{
    private const string ClusterChars = "abcdefghijklmnopqrstuvwxyz0123456789-";
    private const string RuleChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-";

    // Printable ASCII that an interface name may hold, YAML indicators included.
    private const string InterfaceChars = "abcdefghijklmnopqrstuvwxyz0123456789-_.@#!&*[]{}|>%`,?+=~^$()<;";

    // Prefixes under which every address 203.0.113.1-254 is a host address.
    private static readonly int[] Ipv4Prefixes = [24, 31, 32];

    private static readonly string[] AwkwardNames =
        ["true", "null", "No", "y", "1e5", "0x10", "-a", ".hidden", "1.5", "_", "80", "on", "-", ".", "..", "0o7"];

    public static NlbConfig Next(Random random)
    {
        var vips = DistinctAddresses(random, random.Next(1, 5), v6: random.Next(4) == 0);
        var rules = Rules(random, vips);
        var withKeyFile = random.Next(4) == 0;
        var cluster = new ClusterConfig
        {
            Name = random.Next(5) == 0 ? "80" : Text(random, ClusterChars, 1, 32),
            Vips = vips,
            Mode = (OperationMode)random.Next(2),
            FilterIcmp = random.Next(2) == 0,
            Heartbeat = new HeartbeatConfig
            {
                PeriodMs = random.Next(10, 10_001),
                Tolerance = random.Next(3, 101),
                Port = random.Next(1, 65536),
                Key = withKeyFile ? null : Key(random),
                KeyFile = withKeyFile ? "/" + Text(random, InterfaceChars + " /", 1, 40) : null,
            },
            PortRules = rules,
        };

        var v6Host = random.Next(4) == 0;
        var host = new HostConfig
        {
            Priority = random.Next(1, 65),
            Interface = Interface(random),
            DedicatedIp = v6Host
                ? new IPNetworkAddress(IPAddress.Parse($"2001:db8:1::{random.Next(1, 0xffff):x}"), random.Next(1, 129))
                : new IPNetworkAddress(IPAddress.Parse($"203.0.113.{random.Next(1, 255)}"), Ipv4Prefixes[random.Next(Ipv4Prefixes.Length)]),
            InitialState = (HostState)random.Next(3),
            Metrics = new MetricsConfig
            {
                Enabled = random.Next(2) == 0,
                Address = random.Next(3) switch { 0 => IPAddress.Loopback, 1 => IPAddress.IPv6Any, _ => IPAddress.Parse($"203.0.113.{random.Next(1, 255)}") },
                Port = random.Next(1, 65536),
            },
            PortRules = rules
                .Where(_ => random.Next(2) == 0)
                .ToDictionary(
                    r => r.Name,
                    _ => new HostPortRule
                    {
                        LoadWeight = random.Next(3) == 0 ? null : random.Next(0, 101),
                        HandlingPriority = random.Next(3) == 0 ? null : random.Next(1, 65),
                    },
                    StringComparer.Ordinal),
        };

        return new NlbConfig(cluster, host);
    }

    /// <summary>Rules on disjoint port blocks, so that none overlap whatever their VIP and protocol.</summary>
    private static PortRule[] Rules(Random random, IPAddress[] vips)
    {
        var count = random.Next(0, 9);
        var names = new HashSet<string>(StringComparer.Ordinal);
        while (names.Count < count)
        {
            names.Add(random.Next(4) == 0 ? AwkwardNames[random.Next(AwkwardNames.Length)] : Text(random, RuleChars, 1, 32));
        }

        return [.. names.Select((name, i) =>
        {
            var first = (i * 8000) + random.Next(0, 4000);
            var filtering = (FilteringMode)random.Next(3);
            var affinity = filtering == FilteringMode.Multiple ? (Affinity)random.Next(3) : Affinity.Single;
            return new PortRule
            {
                Name = name,
                Vip = random.Next(2) == 0 ? null : vips[random.Next(vips.Length)],
                Ports = count == 1 && random.Next(3) == 0 ? PortRange.All : new PortRange(first, first + random.Next(0, 4000)),
                Protocol = (Protocol)random.Next(3),
                Filtering = filtering,
                Affinity = affinity,
                AffinityTimeoutSeconds = filtering == FilteringMode.Multiple && affinity != Affinity.None && random.Next(2) == 0
                    ? random.Next(0, PortRule.MaxAffinityTimeoutSeconds + 1)
                    : 0,
            };
        })];
    }

    /// <summary>16 to 64 random bytes: base64 of every length remainder, with '+', '/' and '='.</summary>
    private static ClusterKey Key(Random random)
    {
        var bytes = new byte[random.Next(ClusterKey.MinLength, 65)];
        random.NextBytes(bytes);
        return new ClusterKey(bytes);
    }

    private static IPAddress[] DistinctAddresses(Random random, int count, bool v6)
    {
        var set = new HashSet<IPAddress>();
        while (set.Count < count)
        {
            set.Add(v6
                ? IPAddress.Parse($"2001:db8::{random.Next(1, 0xffff):x}")
                : IPAddress.Parse($"198.51.100.{random.Next(1, 255)}"));
        }

        return [.. set];
    }

    // Linux refuses "." and "..".
    private static string Interface(Random random)
    {
        while (true)
        {
            var name = Text(random, InterfaceChars, 1, 15);
            if (name is not ("." or ".."))
            {
                return name;
            }
        }
    }

    private static string Text(Random random, string alphabet, int min, int max)
    {
        var chars = new char[random.Next(min, max + 1)];
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = alphabet[random.Next(alphabet.Length)];
        }

        return new string(chars);
    }
}
