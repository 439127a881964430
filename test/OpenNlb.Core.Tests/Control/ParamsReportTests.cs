using OpenNlb.Core.Configuration;
using OpenNlb.Core.Control;
using OpenNlb.Core.Tests.Configuration;
using Xunit;

namespace OpenNlb.Core.Tests.Control;

public sealed class ParamsReportTests
{
    [Fact]
    public void Params_SayTheConfigurationInTheFilesWords_AndWhatDerivesFromIt()
    {
        var config = ConfigSamples.Full();
        var p = ParamsReport.Of(config, "/etc/opennlb/nlb.yaml", "ab");

        Assert.Equal("/etc/opennlb/nlb.yaml", p.ConfigPath);
        Assert.Equal("ab", p.FileSha256);
        Assert.Equal(ConfigFingerprint.Of(config.Cluster).ToString("x16", System.Globalization.CultureInfo.InvariantCulture), p.Fingerprint);
        Assert.Equal(["192.0.2.100", "192.0.2.101"], p.Cluster.Vips);
        Assert.Equal("multicast", p.Cluster.Mode);
        Assert.Equal("03:bf:c0:00:02:64", p.Cluster.ClusterMac); // multicast: from the primary VIP
        Assert.False(p.Cluster.FilterIcmp);
        Assert.Equal(new HeartbeatParams(250, 4, 3000, 1000, 750, "inline", null), p.Cluster.Heartbeat);
        Assert.Equal(new PortRuleParams("web", "all", 80, 80, "tcp", "multiple", "none", 0), p.Cluster.PortRules[0]);
        Assert.Equal(new PortRuleParams("rest", "192.0.2.100", 0, 65535, "both", "multiple", "network", 1200), p.Cluster.PortRules[3]);
        Assert.Equal("suspended", p.Host.InitialState);
        Assert.Equal("192.0.2.13/24", p.Host.DedicatedIp);

        // Every rule, with this host's settings or the defaults (equal, the host priority).
        Assert.Equal(
            [new HostRuleParams("web", 50, 1), new HostRuleParams("web-101", null, 2), new HostRuleParams("alt", null, 3), new HostRuleParams("rest", null, 3)],
            p.Host.PortRules);
    }

    [Fact]
    public void Params_NeverShowTheKey()
    {
        var json = System.Text.Json.JsonSerializer.Serialize(
            new ControlResponse { Ok = true, Params = ParamsReport.Of(ConfigSamples.Full()) },
            ControlJsonContext.Default.ControlResponse);
        Assert.DoesNotContain(ConfigSamples.KeyBase64, json, StringComparison.Ordinal);
    }
}
