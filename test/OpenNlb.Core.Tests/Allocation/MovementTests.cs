using OpenNlb.Core.Allocation;
using Xunit;

namespace OpenNlb.Core.Tests.Allocation;

/// <summary>
/// How many buckets move when one host joins or leaves, against the fewest that must (see
/// <see cref="Movement"/>). The issue asks for at most 1.1 times the minimum; a stateless allocator
/// meets that for small clusters of equal hosts only. Beyond them, the buckets that move besides the
/// necessary ones grow like the square root of hosts x minimum (docs/allocation.md says why), and
/// these tests hold the allocator to that. Each test prints its figures. For the figures of
/// docs/allocation.md, set OPENNLB_ALLOCATION_CASES (4000) and OPENNLB_ALLOCATION_BUCKETS.
/// </summary>
public sealed class MovementTests
{
    private static readonly int Cases = Setting("OPENNLB_ALLOCATION_CASES", 300);
    private static readonly int Buckets = Setting("OPENNLB_ALLOCATION_BUCKETS", BucketAllocator.BucketCount);

    [Fact]
    public void JoinOrLeave_UpToEightEqualHosts_MovesAtMostTenPercentMoreThanTheMinimum()
    {
        var random = new Random(1);
        var worst = 0.0;
        for (var i = 0; i < Cases; i++)
        {
            var movement = i % 2 == 0
                ? MembershipChanges.Leave(random, equal: true, Buckets, maxHosts: 8)
                : MembershipChanges.Join(random, equal: true, Buckets, maxHosts: 8);
            worst = Math.Max(worst, movement.Ratio);
            Assert.True(movement.Moved <= 1.1 * movement.Minimum, $"case {i}: {movement}");
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"equal weights, 2..8 hosts, {Buckets} buckets, {Cases} joins and leaves: worst {worst:F3}");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void JoinOrLeave_UpTo64Hosts_MovesFewMoreThanTheMinimum(bool equal)
    {
        var random = new Random(equal ? 2 : 3);
        var ratios = new List<double>();
        var extras = new List<double>();
        for (var i = 0; i < Cases; i++)
        {
            var before = RandomClusters.Hosts(random, 2, 64, equal);
            var changed = random.Next(before.Length);
            var after = before.Where((_, k) => k != changed).ToArray();
            var movement = i % 2 == 0
                ? MembershipChanges.Between(before, after, Buckets)
                : MembershipChanges.Between(after, before, Buckets);

            // Extra moves grow like sqrt(hosts * minimum): 0.7 times that on average, under 1.5
            // in 8,000 measured cases.
            var extra = movement.Moved == movement.Minimum
                ? 0
                : (movement.Moved - movement.Minimum) / Math.Sqrt(before.Length * (double)movement.Minimum);
            Assert.True(movement.Moved >= movement.Minimum, $"case {i}: {movement} moved fewer than the minimum");
            Assert.True(extra <= 2, $"case {i}, {before.Length} hosts: {movement}, {extra:F2} sqrt(hosts x minimum) extra");
            ratios.Add(movement.Ratio);
            extras.Add(extra);
        }

        ratios.Sort();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{(equal ? "equal" : "random")} weights, 2..64 hosts, {Buckets} buckets, {Cases} joins and leaves: moved / minimum "
            + $"mean {ratios.Average():F3}, p50 {ratios[ratios.Count / 2]:F3}, p99 {ratios[(int)(ratios.Count * 0.99)]:F3}, "
            + $"worst {ratios[^1]:F3}; extra / sqrt(hosts x minimum) mean {extras.Average():F2}, worst {extras.Max():F2}");
        Assert.True(extras.Average() <= 0.8, $"extra moves average {extras.Average():F2} sqrt(hosts x minimum)");
    }

    private static int Setting(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out var value) ? value : fallback;
}
