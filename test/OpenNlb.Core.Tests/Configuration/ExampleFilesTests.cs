using System.Net;
using OpenNlb.Core.Configuration;
using Xunit;

namespace OpenNlb.Core.Tests.Configuration;

/// <summary>examples/host1.yaml and host2.yaml, the two-host lab cluster the docs describe.</summary>
public sealed class ExampleFilesTests
{
    [Theory]
    [InlineData("host1.yaml", 1, "192.0.2.11")]
    [InlineData("host2.yaml", 2, "192.0.2.12")]
    public void Example_LoadsAndValidates(string file, int priority, string dedicatedIp)
    {
        var config = ConfigAssert.Accepts(File.ReadAllText(ExamplePath(file)));

        Assert.Equal("lab", config.Cluster.Name);
        Assert.Equal([IPAddress.Parse("192.0.2.100")], config.Cluster.Vips);
        Assert.Equal(priority, config.Host.Priority);
        Assert.Equal(new IPNetworkAddress(IPAddress.Parse(dedicatedIp), 24), config.Host.DedicatedIp);
        Assert.Equal(priority, config.Host.RuleSettings("ssh").HandlingPriority);

        // An example must not publish a key that someone might copy: it names a file.
        Assert.Null(config.Cluster.Heartbeat.Key);
        Assert.Equal("/etc/opennlb/cluster.key", config.Cluster.Heartbeat.KeyFile);
        ConfigAssert.Equal(config, ConfigAssert.Accepts(ConfigWriter.ToYaml(config)));
    }

    [Fact]
    public void Examples_ShareTheClusterSection()
    {
        var host1 = ConfigAssert.Accepts(File.ReadAllText(ExamplePath("host1.yaml")));
        var host2 = ConfigAssert.Accepts(File.ReadAllText(ExamplePath("host2.yaml")));

        Assert.Equal(ConfigFingerprint.Of(host1.Cluster), ConfigFingerprint.Of(host2.Cluster));
        Assert.NotEqual(host1.Host.Priority, host2.Host.Priority);
        Assert.NotEqual(host1.Host.DedicatedIp, host2.Host.DedicatedIp);
    }

    private static string ExamplePath(string file)
    {
        // The tests run from artifacts/bin/...; the examples live at the repository root.
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OpenNlb.slnx")))
            {
                return Path.Combine(dir.FullName, "examples", file);
            }
        }

        throw new InvalidOperationException($"no OpenNlb.slnx above {AppContext.BaseDirectory}");
    }
}
