using System.Text;
using OpenNlb.Core.Configuration;

namespace OpenNlb.Core.Allocation;

/// <summary>
/// Who serves one port rule. A multiple-host rule has an owner (host priority) for each bucket,
/// 0 where no live host may take it (every weight 0). A single-host rule has one owner for all its
/// traffic, 0 when no host is live. A disabled rule has none. Compared by value, so that two hosts
/// (or two recomputations) can tell whether they agree.
/// </summary>
public sealed record RuleAllocation
{
    private readonly byte[] owners;

    private RuleAllocation(FilteringMode filtering, byte[] owners, int singleOwner)
    {
        Filtering = filtering;
        this.owners = owners;
        SingleOwner = singleOwner;
    }

    public static RuleAllocation Disabled { get; } = new(FilteringMode.Disabled, [], 0);

    public FilteringMode Filtering { get; }

    /// <summary>For a single-host rule, the host that serves it (0 if none); 0 otherwise.</summary>
    public int SingleOwner { get; }

    /// <summary>Buckets of a multiple-host rule; 0 for other rules.</summary>
    public int BucketCount => owners.Length;

    /// <summary>For a multiple-host rule, the owner of each bucket (0 = nobody); empty otherwise.</summary>
    public ReadOnlySpan<byte> Owners => owners;

    public static RuleAllocation Single(int owner) => new(FilteringMode.Single, [], owner);

    /// <summary>Takes ownership of <paramref name="owners"/>: the caller must not keep it.</summary>
    internal static RuleAllocation Multiple(byte[] owners) => new(FilteringMode.Multiple, owners, 0);

    /// <summary>The host that accepts a flow hashed into <paramref name="bucket"/> (0 = nobody).</summary>
    public int OwnerOf(int bucket) => Filtering switch
    {
        FilteringMode.Multiple => owners[bucket],
        FilteringMode.Single => SingleOwner,
        _ => 0,
    };

    /// <summary>How many buckets <paramref name="host"/> owns (a single-host rule counts as no bucket).</summary>
    public int CountOf(int host) => host is < Member.MinPriority or > Member.MaxPriority
        ? 0
        : owners.AsSpan().Count((byte)host);

    public bool Equals(RuleAllocation? other) =>
        other is not null
        && Filtering == other.Filtering
        && SingleOwner == other.SingleOwner
        && owners.AsSpan().SequenceEqual(other.owners);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Filtering);
        hash.Add(SingleOwner);
        hash.AddBytes(owners);
        return hash.ToHashCode();
    }

    // The default would print 16,384 owners; a summary is what a log line needs.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Filtering = ").Append(Filtering);
        if (Filtering == FilteringMode.Single)
        {
            builder.Append(", SingleOwner = ").Append(SingleOwner);
        }
        else if (Filtering == FilteringMode.Multiple)
        {
            builder.Append(", BucketCount = ").Append(BucketCount);
        }

        return true;
    }
}
