using OpenNlb.Core.Allocation;
using Xunit;

namespace OpenNlb.Core.Tests.Allocation;

public sealed class UniformSortTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(63)]
    [InlineData(64)]
    [InlineData(1000)]
    [InlineData(70000)]
    public void Sort_OrdersEvenlySpreadValues(int count)
    {
        var random = new Random(count);
        Check(Enumerable.Range(0, count).Select(_ => (ulong)random.NextInt64(long.MinValue, long.MaxValue)).ToArray());
        Check(Enumerable.Range(0, count).Select(_ => (ulong)random.NextInt64(0, 1L << 40)).ToArray());
    }

    [Fact]
    public void Sort_OrdersSkewedValuesAndDuplicates()
    {
        var random = new Random(12);

        // Most values crowd near the bottom (as with one heavy host), some are far out.
        Check(Enumerable.Range(0, 50000).Select(i => i % 100 == 0 ? ulong.MaxValue - (ulong)i : (ulong)random.Next(0, 5000)).ToArray());
        Check(Enumerable.Repeat(42UL, 5000).Concat(Enumerable.Range(0, 5000).Select(i => (ulong)i)).ToArray());
        Check(Enumerable.Range(0, 5000).Select(i => (ulong)(5000 - i)).ToArray());
    }

    private static void Check(ulong[] values)
    {
        var expected = values.Order().ToArray();
        UniformSort.Sort(values);
        Assert.Equal(expected, values);
    }
}
