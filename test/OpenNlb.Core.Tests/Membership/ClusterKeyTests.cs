using OpenNlb.Core.Configuration;
using OpenNlb.Core.Membership;
using Xunit;

namespace OpenNlb.Core.Tests.Membership;

public sealed class ClusterKeyTests
{
    private const string Base64 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

    [Theory]
    [InlineData(Base64)]
    [InlineData(Base64 + "\n")] // as `base64` writes a key file
    [InlineData("  " + Base64 + "\r\n")]
    public void TryFromBase64_KeyText_GivesTheKey(string text)
    {
        Assert.True(ClusterKey.TryFromBase64(text, out var key, out var problem), problem);

        Assert.Equal(WireSamples.Key, key);
        Assert.Equal(Base64, key!.ToBase64());
        Assert.Equal(32, key.Length);
    }

    [Theory]
    [InlineData("", "decodes to 0 bytes; a cluster key needs at least 16: make one with `head -c 32 /dev/urandom | base64`")]
    [InlineData("AAECAwQFBgcICQoLDA0ODw==", "decodes to 16 bytes")] // 16 is enough: never reported
    [InlineData("AAECAwQFBgcICQoLDA0O", "decodes to 15 bytes; a cluster key needs at least 16: make one with `head -c 32 /dev/urandom | base64`")]
    [InlineData("not base64!", "is not base64; make one with `head -c 32 /dev/urandom | base64`")]
    public void TryFromBase64_Refusals_SayWhatIsWrongAndHowToMakeAKey(string text, string expected)
    {
        var ok = ClusterKey.TryFromBase64(text, out var key, out var problem);

        if (expected.StartsWith("decodes to 16", StringComparison.Ordinal))
        {
            Assert.True(ok);
            Assert.Equal(16, key!.Length);
            return;
        }

        Assert.False(ok);
        Assert.Null(key);
        Assert.Equal(expected, problem);
    }

    [Fact]
    public void TryFromBase64_TooLong_IsRefusedWithoutDecoding()
    {
        var text = Convert.ToBase64String(new byte[ClusterKey.MaxLength + 1]);

        Assert.False(ClusterKey.TryFromBase64(text, out _, out var problem));
        Assert.Contains("1024", problem, StringComparison.Ordinal);
        Assert.False(ClusterKey.TryFromBase64(new string('A', 100_000), out _, out _));
    }

    [Fact]
    public void ToString_AndTheRecordsHoldingIt_NeverShowTheKey()
    {
        var heartbeat = new HeartbeatConfig { Key = WireSamples.Key };

        Assert.DoesNotContain(Base64[..8], WireSamples.Key.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Base64[..8], heartbeat.ToString(), StringComparison.Ordinal);
        Assert.Contains(WireSamples.Key.Id, heartbeat.ToString(), StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{8}$", WireSamples.Key.Id);
        Assert.NotEqual(WireSamples.Key.Id, WireSamples.OtherKey.Id);
    }

    [Fact]
    public void LoaderErrors_NeverShowTheKeyText()
    {
        // 15 bytes: nearly a key, and still a secret.
        const string Short = "c2VjcmV0LXNlY3JldC1z";
        var yaml = ConfigurationSamples(Short);

        var result = ConfigLoader.Parse(yaml);

        var error = Assert.Single(result.Errors);
        Assert.Equal("cluster.heartbeat.key", error.Path);
        Assert.DoesNotContain(Short[..8], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Equals_ComparesTheBytes()
    {
        Assert.Equal(WireSamples.Key, ClusterKey.FromBase64(Base64));
        Assert.NotEqual(WireSamples.Key, WireSamples.OtherKey);
        Assert.NotEqual(WireSamples.Key, new ClusterKey(new byte[33]));
        Assert.Throws<FormatException>(() => ClusterKey.FromBase64("short"));
    }

    [Fact]
    public void Codecs_UsedFromManyThreadsAtOnce_AgreeWithTheGoldenBytes()
    {
        // nlbd sends and receives on different threads with one key: its MAC state is shared.
        var golden = Convert.FromHexString(WireSamples.HeartbeatHex);
        Parallel.For(0, 4, worker =>
        {
            var buffer = new byte[HeartbeatCodec.MaxSize];
            for (var i = 0; i < 5000; i++)
            {
                Assert.Equal(HeartbeatError.None, HeartbeatCodec.TryParse(golden, WireSamples.Key, out _));
                var n = HeartbeatCodec.Write(WireSamples.Heartbeat, WireSamples.Key, buffer);
                Assert.True(buffer.AsSpan(0, n).SequenceEqual(golden));
            }
        });
    }

    private static string ConfigurationSamples(string key) =>
        $"cluster:\n  name: lab\n  vips: [192.0.2.100]\n  heartbeat: {{ key: {key} }}\n  portRules: []\n"
        + "host:\n  priority: 1\n  interface: eth0\n  dedicatedIp: 192.0.2.11/24\n";
}
