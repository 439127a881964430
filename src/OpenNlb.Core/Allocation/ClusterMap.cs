namespace OpenNlb.Core.Allocation;

/// <summary>
/// Who serves what, for one set of live hosts: an allocation per port rule (in the order of the
/// configuration's port rules) and the default host, which serves traffic to a VIP that no port
/// rule covers (0 when no host is live). Every host computes the same map from the same inputs.
/// </summary>
public sealed record ClusterMap(IReadOnlyList<RuleAllocation> Rules, int DefaultHost)
{
    /// <summary>The buckets of a multiple-host rule that <paramref name="host"/> owns, in ascending order.</summary>
    public int[] BucketsOf(int host, int ruleIndex)
    {
        var owners = Rules[ruleIndex].Owners;
        var result = new int[Rules[ruleIndex].CountOf(host)];
        var next = 0;
        for (var bucket = 0; next < result.Length; bucket++)
        {
            if (owners[bucket] == host)
            {
                result[next++] = bucket;
            }
        }

        return result;
    }

    /// <summary>
    /// What changed from <paramref name="previous"/> to this map. Both must come from the same
    /// cluster configuration (same rules, same filtering); after a configuration change the daemon
    /// reprograms everything instead.
    /// </summary>
    public ClusterMapDiff DiffFrom(ClusterMap previous)
    {
        if (previous.Rules.Count != Rules.Count)
        {
            throw new ArgumentException(
                $"maps of different configurations: {previous.Rules.Count} rules before, {Rules.Count} now",
                nameof(previous));
        }

        var changed = new List<RuleDiff>();
        for (var i = 0; i < Rules.Count; i++)
        {
            var before = previous.Rules[i];
            var after = Rules[i];
            if (before.Filtering != after.Filtering || before.BucketCount != after.BucketCount)
            {
                throw new ArgumentException(
                    $"rule {i}: {before.Filtering} with {before.BucketCount} buckets before, "
                    + $"{after.Filtering} with {after.BucketCount} now: not the same configuration",
                    nameof(previous));
            }

            var moves = Moves(before.Owners, after.Owners);
            if (moves.Count > 0 || before.SingleOwner != after.SingleOwner)
            {
                changed.Add(new RuleDiff(i, moves, before.SingleOwner, after.SingleOwner));
            }
        }

        return new ClusterMapDiff(changed, previous.DefaultHost, DefaultHost);
    }

    public bool Equals(ClusterMap? other) =>
        other is not null && DefaultHost == other.DefaultHost && Rules.SequenceEqual(other.Rules);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(DefaultHost);
        foreach (var rule in Rules)
        {
            hash.Add(rule);
        }

        return hash.ToHashCode();
    }

    private static List<BucketMove> Moves(ReadOnlySpan<byte> before, ReadOnlySpan<byte> after)
    {
        var moves = new List<BucketMove>();
        var bucket = 0;
        while (bucket < before.Length)
        {
            // Skip runs of unchanged buckets a vector at a time: most buckets do not move.
            bucket += before[bucket..].CommonPrefixLength(after[bucket..]);
            if (bucket < before.Length)
            {
                moves.Add(new BucketMove(bucket, before[bucket], after[bucket]));
                bucket++;
            }
        }

        return moves;
    }
}
