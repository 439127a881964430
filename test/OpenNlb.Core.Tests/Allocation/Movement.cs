using OpenNlb.Core.Allocation;

namespace OpenNlb.Core.Tests.Allocation;

/// <summary>
/// Buckets that changed owner between two allocations of a rule, and the fewest that had to:
/// every host that owns fewer buckets afterwards gives up at least the difference
/// (on a leave, the leaver's buckets; on a join, what the others hand to the joiner).
/// </summary>
internal readonly record struct Movement(int Moved, int Minimum)
{
    public double Ratio => Minimum == 0 ? (Moved == 0 ? 1 : double.PositiveInfinity) : (double)Moved / Minimum;

    public static Movement Between(RuleAllocation before, RuleAllocation after)
    {
        var moved = 0;
        for (var bucket = 0; bucket < before.BucketCount; bucket++)
        {
            if (before.OwnerOf(bucket) != after.OwnerOf(bucket))
            {
                moved++;
            }
        }

        var minimum = 0;
        for (var host = Member.MinPriority; host <= Member.MaxPriority; host++)
        {
            minimum += Math.Max(0, before.CountOf(host) - after.CountOf(host));
        }

        return new Movement(moved, minimum);
    }
}
