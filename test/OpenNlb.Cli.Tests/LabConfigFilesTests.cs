using System.Net;
using OpenNlb.Core.Configuration;
using OpenNlb.Lab;
using Xunit;

namespace OpenNlb.Cli.Tests;

/// <summary>`nlb lab up --config`: the lab takes a user's files only where its network can run them.</summary>
public sealed class LabConfigFilesTests
{
    private static string Host(int priority, string dip, string iface = "eth0", string? secondVip = null) =>
        ConfigWriter.ToYaml(Samples.Config with
        {
            Cluster = Samples.Config.Cluster with { Vips = secondVip is null ? Samples.Config.Cluster.Vips : [.. Samples.Config.Cluster.Vips, IPAddress.Parse(secondVip)] },
            Host = Samples.Config.Host with { Priority = priority, Interface = iface, DedicatedIp = new IPNetworkAddress(IPAddress.Parse(dip), 24) },
        });

    /// <summary>Without --config the lab writes its own files (every lab the tests and the demo build).</summary>
    [Fact]
    public void NoFiles_IsNoError()
    {
        var (texts, first, errors) = LabConfigFiles.Check([], hosts: 3);

        Assert.Empty(errors);
        Assert.Empty(texts);
        Assert.Null(first);
    }

    [Fact]
    public void OneFilePerLabHost_IsTaken_ByHostPriority_AndSaysWhereItCameFrom()
    {
        var (texts, first, errors) = LabConfigFiles.Check([("/x/b.yaml", Host(2, "192.0.2.12")), ("/x/a.yaml", Host(1, "192.0.2.11"))], hosts: 2);

        Assert.Empty(errors);
        Assert.Equal([1, 2], texts.Keys);
        Assert.StartsWith("# Copied by `nlb lab up` from /x/a.yaml.\n", texts[1], StringComparison.Ordinal);
        Assert.Equal(ConfigFingerprint.Of(Samples.Config.Cluster), ConfigFingerprint.Of(ConfigLoader.Parse(texts[1]).Config!.Cluster));
        Assert.Equal(2, first!.Host.Priority);
    }

    [Fact]
    public void WhatTheLabsNetworkCannotRun_IsRefused_EveryReasonAtOnce()
    {
        var (_, _, errors) = LabConfigFiles.Check(
            [("a.yaml", Host(1, "192.0.2.21", iface: "ens3", secondVip: "10.0.0.100")), ("b.yaml", Host(3, "192.0.2.13"))],
            hosts: 2);

        Assert.Equal(
            [
                "a.yaml: host.interface: a lab host's interface is eth0, not 'ens3'",
                "a.yaml: host.dedicatedIp: lab host h1 has 192.0.2.11/24, not 192.0.2.21/24",
                "a.yaml: cluster.vips: 10.0.0.100 is not on the lab's network 192.0.2.0/24: the clients could not reach it",
                "b.yaml: host.priority 3: the lab has hosts 1..2, one file for each",
            ],
            errors);
    }

    [Fact]
    public void AMissingHostOrATwiceGivenOne_IsRefused()
    {
        Assert.Equal(
            ["no file for host priority 2, 3: give one file per lab host (or --hosts 1)"],
            LabConfigFiles.Check([("a.yaml", Host(1, "192.0.2.11"))], hosts: 3).Errors);
        Assert.Equal(
            ["b.yaml: host.priority 1 is given by another file too"],
            LabConfigFiles.Check([("a.yaml", Host(1, "192.0.2.11")), ("b.yaml", Host(1, "192.0.2.11"))], hosts: 2).Errors);
    }

    [Fact]
    public void AnInvalidFile_GivesNlbdsErrors_WithTheFileName()
    {
        var (_, _, errors) = LabConfigFiles.Check([("a.yaml", "cluster: {}\n")], hosts: 1);

        Assert.Contains("a.yaml: cluster.name: required key is missing", errors);
    }

    [Fact]
    public void ASavedConfiguration_IsReadableByRootOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            Assert.Skip("Unix file modes");
            return;
        }

        var path = Path.Combine(Path.GetTempPath(), $"onlb-cli-test-{Guid.NewGuid():N}.yaml");
        try
        {
            File.WriteAllText(path, "old, world-readable");
            NlbdConfigWriter.Save(path, "cluster: {}\n");

            Assert.Equal("cluster: {}\n", File.ReadAllText(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
