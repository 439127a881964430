namespace OpenNlb.Linux.Nftables;

/// <summary>
/// One element of an nftables set: its key (one part, or one per field of a concatenation, as nft
/// writes them) and, for a set with timeouts, how long it has left (whole seconds, as nft lists it).
/// </summary>
public sealed record NftSetElement(IReadOnlyList<string> Key, TimeSpan? Expires)
{
    public bool Equals(NftSetElement? other) =>
        other is not null && Expires == other.Expires && Key.SequenceEqual(other.Key);

    public override int GetHashCode() => HashCode.Combine(Key.Count > 0 ? Key[0] : null, Expires);
}
