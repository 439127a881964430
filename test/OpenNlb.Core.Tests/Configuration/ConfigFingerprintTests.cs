using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Membership;
using Xunit;

namespace OpenNlb.Core.Tests.Configuration;

public sealed class ConfigFingerprintTests
{
    [Fact]
    public void Of_EqualSectionsBuiltSeparately_IsEqual()
    {
        // Separate list and address instances: equality must not depend on references.
        Assert.Equal(ConfigFingerprint.Of(ConfigSamples.Full().Cluster), ConfigFingerprint.Of(ConfigSamples.Full().Cluster));
    }

    [Fact]
    public void Of_SectionReadFromYaml_EqualsTheSectionBuiltInCode()
    {
        var parsed = ConfigAssert.Accepts(ConfigSamples.FullYaml);

        Assert.Equal(ConfigFingerprint.Of(ConfigSamples.Full().Cluster), ConfigFingerprint.Of(parsed.Cluster));
    }

    [Fact]
    public void Of_IsSha256OverTheDocumentedEncoding()
    {
        // Built by hand from the format in docs/configuration.md, so the fingerprint depends on
        // nothing but these bytes: not on the process, the machine or a hash seed.
        var cluster = new ClusterConfig
        {
            Name = "lab",
            Vips = [IPAddress.Parse("192.0.2.100")],
            Mode = OperationMode.Multicast,
            FilterIcmp = false,
            Heartbeat = new HeartbeatConfig { PeriodMs = 250, Tolerance = 4, Port = 3000, Key = ConfigSamples.Key },
            PortRules =
            [
                new PortRule { Name = "web", Ports = new(80, 90), Protocol = Protocol.Tcp, Filtering = FilteringMode.Multiple, Affinity = Affinity.Network, AffinityTimeoutSeconds = 600 },
                new PortRule { Name = "ssh", Vip = IPAddress.Parse("192.0.2.100"), Ports = new(22, 22), Protocol = Protocol.Both, Filtering = FilteringMode.Single },
            ],
        };
        var expected = new List<byte>();
        Text(expected, "opennlb-cluster-v2");
        Text(expected, "lab");
        Int(expected, 1);
        Int(expected, 4);
        expected.AddRange([192, 0, 2, 100]);
        Int(expected, 1); // multicast
        Int(expected, 0); // filterIcmp false
        Int(expected, 250);
        Int(expected, 4);
        Int(expected, 3000);
        Int(expected, 2);
        Text(expected, "web");
        Int(expected, 0); // vip: all
        Int(expected, 80);
        Int(expected, 90);
        Int(expected, 0); // tcp
        Int(expected, 0); // multiple
        Int(expected, 2); // affinity network
        Int(expected, 600); // affinity timeout
        Text(expected, "ssh");
        Int(expected, 4);
        expected.AddRange([192, 0, 2, 100]);
        Int(expected, 22);
        Int(expected, 22);
        Int(expected, 2); // both
        Int(expected, 1); // single
        Int(expected, 1); // affinity single (the default)
        Int(expected, 0); // no affinity timeout (the default)

        Assert.Equal(expected, FingerprintEncoding.Encode(cluster));
        var digest = SHA256.HashData(expected.ToArray());
        Assert.Equal(BinaryPrimitives.ReadUInt64BigEndian(digest), ConfigFingerprint.Of(cluster));
    }

    [Fact]
    public void Of_IPv6Address_IsFamilySixAndSixteenBytes()
    {
        var cluster = new ClusterConfig { Name = "x", Vips = [IPAddress.Parse("2001:db8::1")], PortRules = [] };

        var bytes = FingerprintEncoding.Encode(cluster);

        var vipAt = 4 + "opennlb-cluster-v2".Length + 4 + 1 + 4;
        Assert.Equal([0, 0, 0, 6, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], bytes[vipAt..(vipAt + 20)]);
    }

    [Fact]
    public void Of_AnyChangeToTheClusterSection_ChangesIt()
    {
        var baseline = ConfigSamples.Full().Cluster;
        var rules = baseline.PortRules;
        ClusterConfig WithRule(int i, Func<PortRule, PortRule> change) =>
            baseline with { PortRules = [.. rules.Select((r, j) => j == i ? change(r) : r)] };

        var variants = new (string What, ClusterConfig Cluster)[]
        {
            ("name", baseline with { Name = "lab2" }),
            ("a VIP", baseline with { Vips = [IPAddress.Parse("192.0.2.100"), IPAddress.Parse("192.0.2.102")] }),
            ("VIP order", baseline with { Vips = [.. baseline.Vips.Reverse()] }),
            ("one VIP fewer", baseline with { Vips = [baseline.Vips[0]] }),
            ("mode", baseline with { Mode = OperationMode.Unicast }),
            ("filterIcmp", baseline with { FilterIcmp = true }),
            ("heartbeat period", baseline with { Heartbeat = baseline.Heartbeat with { PeriodMs = 251 } }),
            ("heartbeat tolerance", baseline with { Heartbeat = baseline.Heartbeat with { Tolerance = 5 } }),
            ("heartbeat port", baseline with { Heartbeat = baseline.Heartbeat with { Port = 3001 } }),
            ("rule order", baseline with { PortRules = [.. rules.Reverse()] }),
            ("one rule fewer", baseline with { PortRules = [.. rules.Skip(1)] }),
            ("rule name", WithRule(0, r => r with { Name = "www" })),
            ("rule vip", WithRule(0, r => r with { Vip = IPAddress.Parse("192.0.2.100") })),
            ("rule vip all", WithRule(1, r => r with { Vip = null })),
            ("rule first port", WithRule(1, r => r with { Ports = new(81, 90) })),
            ("rule last port", WithRule(1, r => r with { Ports = new(80, 91) })),
            ("rule protocol", WithRule(0, r => r with { Protocol = Protocol.Both })),
            ("rule filtering", WithRule(0, r => r with { Filtering = FilteringMode.Single })),
            ("rule affinity", WithRule(0, r => r with { Affinity = Affinity.Single })),
            ("rule affinity timeout", WithRule(3, r => r with { AffinityTimeoutSeconds = 1201 })),
        };

        var seen = new Dictionary<ulong, string> { [ConfigFingerprint.Of(baseline)] = "baseline" };
        foreach (var (what, cluster) in variants)
        {
            var fingerprint = ConfigFingerprint.Of(cluster);
            Assert.True(seen.TryAdd(fingerprint, what), $"{what} gives the same fingerprint as {seen.GetValueOrDefault(fingerprint)}");
        }
    }

    [Fact]
    public void Of_TheClusterKey_IsLeftOut()
    {
        // The fingerprint travels in clear in every heartbeat: it must say nothing about the key.
        // A host with another key is refused as forged, not reported as mismatched.
        var baseline = ConfigSamples.Full().Cluster;
        var otherKey = baseline with { Heartbeat = baseline.Heartbeat with { Key = new ClusterKey(new byte[32]) } };
        var keyFile = baseline with { Heartbeat = baseline.Heartbeat with { Key = null, KeyFile = "/etc/opennlb/cluster.key" } };

        Assert.Equal(ConfigFingerprint.Of(baseline), ConfigFingerprint.Of(otherKey));
        Assert.Equal(ConfigFingerprint.Of(baseline), ConfigFingerprint.Of(keyFile));
        Assert.Equal(FingerprintEncoding.Encode(baseline), FingerprintEncoding.Encode(otherKey));
    }

    private static void Text(List<byte> bytes, string text)
    {
        Int(bytes, Encoding.UTF8.GetByteCount(text));
        bytes.AddRange(Encoding.UTF8.GetBytes(text));
    }

    private static void Int(List<byte> bytes, int value)
    {
        var buffer = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buffer, value);
        bytes.AddRange(buffer);
    }
}
