using OpenNlb.Core.Allocation;
using Xunit;

namespace OpenNlb.Core.Tests.Allocation;

/// <summary>
/// How many buckets move when one host joins or leaves, against the fewest that must (see
/// <see cref="Movement"/>). The issue asks for at most 1.1 times the minimum; a stateless allocator
/// meets that for small clusters of equal hosts only, and these tests hold it to the figures that
/// docs/allocation.md gives for the rest. Each test prints its figures; set
/// OPENNLB_ALLOCATION_CASES to run more cases than the default (docs/allocation.md used 4000).
/// </summary>
public sealed class MovementTests
{
    private static readonly int Cases =
        int.TryParse(Environment.GetEnvironmentVariable("OPENNLB_ALLOCATION_CASES"), out var cases) ? cases : 300;

    [Fact]
    public void JoinOrLeave_UpToEightEqualHosts_MovesAtMostTenPercentMoreThanTheMinimum()
    {
        var random = new Random(1);
        for (var i = 0; i < Cases; i++)
        {
            var movement = i % 2 == 0
                ? MembershipChanges.Leave(random, equal: true, BucketAllocator.BucketCount, maxHosts: 8)
                : MembershipChanges.Join(random, equal: true, BucketAllocator.BucketCount, maxHosts: 8);
            Assert.True(movement.Moved <= 1.1 * movement.Minimum, $"case {i}: {movement}");
        }
    }

    [Theory]
    [InlineData(true, 1.25)]
    [InlineData(false, 1.35)]
    public void JoinOrLeave_UpTo64Hosts_MovesOnAverageLittleMoreThanTheMinimumAndNeverFourTimes(bool equal, double meanBound)
    {
        var random = new Random(equal ? 2 : 3);
        var ratios = new List<double>();
        for (var i = 0; i < Cases; i++)
        {
            var movement = i % 2 == 0
                ? MembershipChanges.Leave(random, equal, BucketAllocator.BucketCount)
                : MembershipChanges.Join(random, equal, BucketAllocator.BucketCount);
            Assert.True(movement.Moved >= movement.Minimum, $"case {i}: {movement} moved fewer than the minimum");
            Assert.True(movement.Moved < 4 * movement.Minimum, $"case {i}: {movement}");
            ratios.Add(movement.Ratio);
        }

        ratios.Sort();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{(equal ? "equal" : "random")} weights, 2..64 hosts, {ratios.Count} joins and leaves: moved / minimum "
            + $"mean {ratios.Average():F3}, p50 {ratios[ratios.Count / 2]:F3}, p99 {ratios[(int)(ratios.Count * 0.99)]:F3}, worst {ratios[^1]:F3}");
        Assert.True(ratios.Average() <= meanBound, $"mean {ratios.Average():F3} above {meanBound}");
    }
}
