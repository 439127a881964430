using OpenNlb.Core.Hashing;
using Xunit;

namespace OpenNlb.Core.Tests.Hashing;

public sealed class HashSeedTests
{
    // Expected values: the first 8 hex digits of `printf %s NAME | sha256sum`.
    [Theory]
    [InlineData("lab", 0xa51146d3u)]
    [InlineData("", 0xe3b0c442u)]
    public void ForCluster_IsTheFirstFourBytesOfSha256_BigEndian(string name, uint expected)
    {
        Assert.Equal(expected, HashSeed.ForCluster(name));
    }

    [Fact]
    public void ForCluster_DiffersBetweenClusters()
    {
        Assert.NotEqual(HashSeed.ForCluster("lab"), HashSeed.ForCluster("lab2"));
    }
}
