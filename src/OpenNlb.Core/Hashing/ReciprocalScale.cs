namespace OpenNlb.Core.Hashing;

/// <summary>
/// Linux's <c>reciprocal_scale()</c>: maps a 32-bit hash onto [0, range) with a multiply and a shift
/// instead of a division. nft_jhash applies it for <c>mod N</c> (and then adds <c>offset</c>, which
/// OpenNLB never sets), so <c>mod N</c> in nft is not the remainder of a division.
/// </summary>
public static class ReciprocalScale
{
    public static uint Scale(uint hash, uint range) => (uint)(((ulong)hash * range) >> 32);
}
