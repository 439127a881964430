using OpenNlb.Core.Hashing;
using Xunit;

namespace OpenNlb.Core.Tests.Hashing;

public sealed class ReciprocalScaleTests
{
    [Theory]
    [InlineData(0u, 60u, 0u)]
    [InlineData(0xFFFFFFFFu, 60u, 59u)]
    [InlineData(0xFFFFFFFFu, 4096u, 4095u)]
    [InlineData(0x80000000u, 60u, 30u)]
    [InlineData(0x80000000u, 2048u, 1024u)]
    [InlineData(0x7FFFFFFFu, 2048u, 1023u)]
    [InlineData(0x12345678u, 4096u, 0x123u)] // for a power of two: the top bits of the hash
    [InlineData(0xFFFFFFFFu, 1u, 0u)]
    [InlineData(0xFFFFFFFFu, 0u, 0u)]
    [InlineData(0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFEu)]
    [InlineData(0x04444444u, 60u, 0u)] // 0x04444444 * 60 = 2^32 - 16: the last hash of bucket 0
    [InlineData(0x04444445u, 60u, 1u)] // 0x04444445 * 60 = 2^32 + 44: the first of bucket 1
    public void Scale_IsTheHighWordOfTheProduct(uint hash, uint range, uint expected)
    {
        Assert.Equal(expected, ReciprocalScale.Scale(hash, range));
    }

    [Fact]
    public void Scale_IsNotTheRemainder()
    {
        // nft's `mod 60` is not hash % 60 (which is 12 here): the top of the hash space is bucket 59.
        Assert.Equal(59u, ReciprocalScale.Scale(0xFFFFFFC0, 60));
        Assert.Equal(0u, ReciprocalScale.Scale(59, 60));
    }

    [Fact]
    public void Scale_SplitsTheHashSpaceIntoContiguousRanges()
    {
        // Bucket k holds the hashes in [ceil(k * 2^32 / n), ceil((k + 1) * 2^32 / n)).
        const uint Range = 60;
        for (uint k = 1; k < Range; k++)
        {
            var first = (uint)((((ulong)k << 32) + Range - 1) / Range);
            Assert.Equal(k, ReciprocalScale.Scale(first, Range));
            Assert.Equal(k - 1, ReciprocalScale.Scale(first - 1, Range));
        }
    }
}
