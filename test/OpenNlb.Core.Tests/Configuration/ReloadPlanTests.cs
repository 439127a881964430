using System.Net;
using OpenNlb.Core.Configuration;
using Xunit;

namespace OpenNlb.Core.Tests.Configuration;

/// <summary>What a reload may change live, and the refusal of everything else, named key by key.</summary>
public sealed class ReloadPlanTests
{
    [Fact]
    public void TheSameConfiguration_ChangesNothing()
    {
        var plan = ReloadPlan.Between(ConfigSamples.Full(), ConfigSamples.Full());
        Assert.True(plan.CanApply);
        Assert.Empty(plan.Changes);
    }

    [Fact]
    public void WeightsHandlingPrioritiesAndRemoteControl_AreAppliedLive()
    {
        var running = ConfigSamples.Full();
        var loaded = running with
        {
            Host = running.Host with
            {
                RemoteControl = true,
                PortRules = new Dictionary<string, HostPortRule>(StringComparer.Ordinal)
                {
                    ["web"] = new HostPortRule { LoadWeight = 80, HandlingPriority = 1 },
                    ["web-101"] = new HostPortRule { HandlingPriority = 5 },
                },
            },
        };

        var plan = ReloadPlan.Between(running, loaded);

        Assert.True(plan.CanApply);
        Assert.Equal(
            ["host.remoteControl: on", "host.portRules.web.loadWeight: 50 -> 80", "host.portRules.web-101.handlingPriority: 2 -> 5"],
            plan.Changes);
    }

    [Fact]
    public void ClusterKeysAndHostIdentity_AreRefused_EachNamed_AndOneRefusalKeepsEverything()
    {
        var running = ConfigSamples.Full();
        var loaded = new NlbConfig(
            running.Cluster with
            {
                Vips = [IPAddress.Parse("192.0.2.100")],
                Heartbeat = running.Cluster.Heartbeat with { PeriodMs = 100 },
                PortRules = [.. running.Cluster.PortRules.Take(3), running.Cluster.PortRules[3] with { Ports = new PortRange(1, 1000) }],
            },
            running.Host with { Priority = 4, Interface = "eth1", RemoteControl = true });

        var plan = ReloadPlan.Between(running, loaded);

        Assert.False(plan.CanApply);
        Assert.Collection(
            plan.Refusals,
            r => Assert.StartsWith("cluster.vips: changed (192.0.2.100, 192.0.2.101 -> 192.0.2.100)", r, StringComparison.Ordinal),
            r => Assert.StartsWith("cluster.heartbeat: changed (periodMs 250 -> 100)", r, StringComparison.Ordinal),
            r => Assert.StartsWith("host.priority: 3 -> 4", r, StringComparison.Ordinal),
            r => Assert.StartsWith("host.interface: eth0 -> eth1", r, StringComparison.Ordinal));
    }

    [Fact]
    public void PortRulesAndFilterIcmp_AreSwitchedTogether_EachNamed()
    {
        var running = ConfigSamples.Full();
        var rules = running.Cluster.PortRules;
        var loaded = running with
        {
            Cluster = running.Cluster with
            {
                FilterIcmp = !running.Cluster.FilterIcmp,
                PortRules =
                [
                    rules[1],
                    rules[0] with { Ports = new PortRange(80, 81) },
                    rules[3],
                    new PortRule { Name = "dns", Ports = new PortRange(53, 53), Protocol = Protocol.Udp },
                ],
            },
        };

        var plan = ReloadPlan.Between(running, loaded);

        Assert.True(plan.CanApply);
        Assert.True(plan.SwitchesCluster);
        Assert.Equal(
            [
                running.Cluster.FilterIcmp ? "cluster.filterIcmp: off" : "cluster.filterIcmp: on",
                $"cluster.portRules[0] ({rules[1].Name}): moved from [1]",
                $"cluster.portRules[1] ({rules[0].Name}): changed (ports 80 -> 80-81, moved from [0])",
                $"cluster.portRules[2] ({rules[3].Name}): moved from [3]",
                "cluster.portRules[3] (dns): added",
                $"cluster.portRules[2] ({rules[2].Name}): removed",
            ],
            plan.ClusterChanges);
    }

    [Fact]
    public void HostSettingsAlone_SwitchNothing()
    {
        var running = ConfigSamples.Full();
        var plan = ReloadPlan.Between(running, running with { Host = running.Host with { RemoteControl = !running.Host.RemoteControl } });

        Assert.False(plan.SwitchesCluster);
        Assert.Empty(plan.ClusterChanges);
    }

    [Fact]
    public void ANewClusterKey_IsRefused()
    {
        var running = ConfigSamples.Full();
        var loaded = running with
        {
            Cluster = running.Cluster with { Heartbeat = running.Cluster.Heartbeat with { Key = new Core.Membership.ClusterKey(new byte[32]) } },
        };

        Assert.Equal(["cluster.heartbeat.key"], ReloadPlan.Between(running, loaded).Refusals.Select(r => r.Split(':')[0]));
    }
}
