using System.Net;
using OpenNlb.Cli.Check;
using OpenNlb.Core.Configuration;
using Xunit;

namespace OpenNlb.Cli.Tests;

public sealed class ConfigCheckTests
{
    private static string Host(int priority, string dip, NlbConfig? from = null)
    {
        var config = from ?? Samples.Config;
        return ConfigWriter.ToYaml(config with
        {
            Host = config.Host with { Priority = priority, DedicatedIp = new IPNetworkAddress(IPAddress.Parse(dip), 24) },
        });
    }

    [Fact]
    public void TwoHostsOfOneCluster_AreValid_AndSaidToMakeOneCluster()
    {
        var (ok, lines) = ConfigCheck.Run([("h1.yaml", Host(1, "192.0.2.11")), ("h2.yaml", Host(2, "192.0.2.12"))]);

        Assert.True(ok);
        Assert.StartsWith("h1.yaml: valid: cluster 'lab' (fingerprint ", lines[0], StringComparison.Ordinal);
        Assert.EndsWith("host priority 1 on eth0 192.0.2.11/24", lines[0], StringComparison.Ordinal);
        Assert.Contains("host priority 2 on eth0 192.0.2.12/24", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("the 2 files make one cluster", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void AnInvalidFile_ListsEveryError_WithTheFileName()
    {
        var text = Host(1, "192.0.2.11").Replace("name: lab", "name: Lab", StringComparison.Ordinal).Replace("interface: eth0", "interface: eth0:1", StringComparison.Ordinal);

        var (ok, lines) = ConfigCheck.Run([("bad.yaml", text)]);

        Assert.False(ok);
        Assert.Contains(lines, l => l.StartsWith("bad.yaml: cluster.name: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("bad.yaml: host.interface: ", StringComparison.Ordinal));
    }

    [Fact]
    public void ClusterSectionsThatDiffer_AreAnError()
    {
        var other = Samples.Config with { Cluster = Samples.Config.Cluster with { Mode = OperationMode.Multicast } };

        var (ok, lines) = ConfigCheck.Run([("h1.yaml", Host(1, "192.0.2.11")), ("h2.yaml", Host(2, "192.0.2.12", other))]);

        Assert.False(ok);
        Assert.Contains(lines, l => l.StartsWith("the cluster sections differ (h1.yaml ", StringComparison.Ordinal));
    }

    [Fact]
    public void KeysThatDiffer_AreAnError_ThoughTheFingerprintIsTheSame()
    {
        var inline = Samples.Config with { Cluster = Samples.Config.Cluster with { Heartbeat = new HeartbeatConfig { Key = new Core.Membership.ClusterKey(new byte[32]) } } };

        var (ok, lines) = ConfigCheck.Run([("h1.yaml", Host(1, "192.0.2.11")), ("h2.yaml", Host(2, "192.0.2.12", inline))]);

        Assert.False(ok);
        Assert.DoesNotContain(lines, l => l.StartsWith("the cluster sections differ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("the cluster keys differ", StringComparison.Ordinal));
    }

    [Fact]
    public void AKeyFileThatCannotBeRead_IsAnError_AndKeyFilesAreComparedByTheirKeys()
    {
        NlbConfig From(string keyFile) => Samples.Config with { Cluster = Samples.Config.Cluster with { Heartbeat = new HeartbeatConfig { KeyFile = keyFile } } };
        var keys = new Dictionary<string, Core.Membership.ClusterKey>
        {
            ["/etc/opennlb/a.key"] = new(new byte[32]),
            ["/etc/opennlb/b.key"] = new([.. Enumerable.Repeat((byte)1, 32)]),
        };
        (Core.Membership.ClusterKey?, string) Read(HeartbeatConfig heartbeat) =>
            keys.TryGetValue(heartbeat.KeyFile!, out var key) ? (key, string.Empty) : (null, $"cluster.heartbeat.keyFile: {heartbeat.KeyFile} does not exist");

        var (missing, lines) = ConfigCheck.Run([("h1.yaml", Host(1, "192.0.2.11", From("/etc/opennlb/none.key")))], Read);
        Assert.False(missing);
        Assert.Equal(["h1.yaml: cluster.heartbeat.keyFile: /etc/opennlb/none.key does not exist"], lines);

        // Two paths, one key: one cluster. One path read as two keys would be caught the same way.
        keys["/etc/opennlb/c.key"] = keys["/etc/opennlb/a.key"];
        var (same, _) = ConfigCheck.Run([("h1.yaml", Host(1, "192.0.2.11", From("/etc/opennlb/a.key"))), ("h2.yaml", Host(2, "192.0.2.12", From("/etc/opennlb/c.key")))], Read);
        Assert.True(same);
        var (differ, differing) = ConfigCheck.Run([("h1.yaml", Host(1, "192.0.2.11", From("/etc/opennlb/a.key"))), ("h2.yaml", Host(2, "192.0.2.12", From("/etc/opennlb/b.key")))], Read);
        Assert.False(differ);
        Assert.Contains(differing, l => l.StartsWith("the cluster keys differ", StringComparison.Ordinal));
    }

    [Fact]
    public void TheSameHostPriorityOrDedicatedIpTwice_IsAnError()
    {
        var (ok, lines) = ConfigCheck.Run([("a.yaml", Host(1, "192.0.2.11")), ("b.yaml", Host(1, "192.0.2.11"))]);

        Assert.False(ok);
        Assert.Contains("a.yaml and b.yaml have the same host priority 1: the host priority is the host's id: give each host its own", lines);
        Assert.Contains("a.yaml and b.yaml have the same dedicated IP 192.0.2.11: give each host its own address", lines);
    }
}
