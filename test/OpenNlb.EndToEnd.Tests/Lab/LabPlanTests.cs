using System.Net;
using OpenNlb.Core.Configuration;
using OpenNlb.Lab;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.Lab;

/// <summary>The lab's plan: pure, no root needed.</summary>
public sealed class LabPlanTests
{
    [Fact]
    public void Describe_GivesHostsAndClientsTheirAddressesAndMacs()
    {
        var lab = LabPlan.Describe(new LabOptions { Name = "x", Hosts = 3, Clients = 2 }, "/nlb", "/nlbd", DateTimeOffset.UnixEpoch);

        Assert.Equal(["sw", "h1", "h2", "h3", "c1", "c2"], lab.Nodes.Select(n => n.Name));
        Assert.Equal(["onlb-x-sw", "onlb-x-h1", "onlb-x-h2", "onlb-x-h3", "onlb-x-c1", "onlb-x-c2"], lab.Nodes.Select(n => n.Namespace));
        Assert.Equal(["192.0.2.11/24", "192.0.2.12/24", "192.0.2.13/24"], lab.Hosts.Select(h => h.Address.ToString()));
        Assert.Equal([1, 2, 3], lab.Hosts.Select(h => h.HostPriority));
        Assert.Equal(["192.0.2.201/24", "192.0.2.202/24"], lab.Clients.Select(c => c.Address.ToString()));
        Assert.Equal("02:00:c0:00:02:0d", lab.Find("h3")!.Mac);
        Assert.Equal(IPAddress.Parse("192.0.2.100"), lab.Vip);
    }

    [Fact]
    public void ClientExtraAddresses_AreDistinct_SpanBothNetworks_AndFillThemExactly()
    {
        const int clients = 3;
        var perClient = AddressPlan.MaxExtraAddresses(clients);
        var all = Enumerable.Range(1, clients).SelectMany(c => AddressPlan.ClientExtraAddresses(c, perClient, clients)).ToList();

        Assert.Equal(clients * perClient, all.Count);
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.All(all, a => Assert.Contains(AddressPlan.ExtraNetworks, n => n.Contains(a)));
        Assert.All(all, a => Assert.InRange(a.GetAddressBytes()[3], 1, 254));
        Assert.Equal(all.Count / 2, all.Count(a => AddressPlan.ExtraNetworks[0].Contains(a)));
        Assert.Throws<ArgumentOutOfRangeException>(() => AddressPlan.ClientExtraAddresses(1, perClient + 1, clients));
    }

    [Fact]
    public void Validate_ReportsEveryError()
    {
        var errors = LabPlan.Validate(new LabOptions { Name = "Bad_Name", Hosts = 65, Clients = 2, ClientAddresses = 255 });

        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.Contains("Bad_Name", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("hosts: 65", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("client addresses: 255", StringComparison.Ordinal));
        Assert.Empty(LabPlan.Validate(new LabOptions()));
    }

    [Theory]
    [InlineData("a", "onlb-a-h1", "h1")]
    [InlineData("a", "onlb-a-sw", "sw")]
    [InlineData("a", "onlb-a-c54", "c54")]
    [InlineData("a", "onlb-a-b-sw", null)]
    [InlineData("a", "onlb-a-hash", null)]
    [InlineData("a", "onlb-ab-h1", null)]
    [InlineData("a-b", "onlb-a-b-h2", "h2")]
    public void NodeOf_MatchesOnlyTheLabsOwnNamespaces(string lab, string ns, string? node) =>
        Assert.Equal(node, LabNames.NodeOf(lab, ns));

    [Fact]
    public void GeneratedConfig_IsValid_AndCarriesTheLabsRules()
    {
        var key = NlbdConfigWriter.NewKey();
        var result = ConfigLoader.Parse(NlbdConfigWriter.Write("lab", OperationMode.Multicast, 2, key));

        Assert.Empty(result.Errors);
        var config = result.Config!;
        Assert.Equal("lab", config.Cluster.Name);
        Assert.Equal(OperationMode.Multicast, config.Cluster.Mode);
        Assert.Equal(["web", "echo", "sticky", "iperf"], config.Cluster.PortRules.Select(r => r.Name));
        Assert.Equal(2, config.Host.Priority);
        Assert.Equal("192.0.2.12/24", config.Host.DedicatedIp.ToString());
        Assert.Equal(key, config.Cluster.Heartbeat.Key);
    }
}
