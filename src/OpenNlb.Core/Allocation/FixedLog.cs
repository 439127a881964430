namespace OpenNlb.Core.Allocation;

/// <summary>
/// Natural logarithms in integer fixed point, for tables that every host must compute bit for bit
/// the same (Math.Log may differ in the last bit between CPUs and C libraries).
/// </summary>
internal static class FixedLog
{
    private static readonly UInt128 One = (UInt128)1 << 64;

    /// <summary>ln(2) with 64 fractional bits.</summary>
    private static readonly UInt128 Ln2 = 2 * Atanh(One / 3);

    /// <summary>ln(a / b) with 64 fractional bits, for a &gt;= b &gt;= 1 and a &lt; 2^62.</summary>
    public static UInt128 Ln(ulong a, ulong b)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(b, 1UL);
        ArgumentOutOfRangeException.ThrowIfLessThan(a, b);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(a, 1UL << 62);

        // a / b = 2^k * r with r in [1, 2); ln(r) = 2 atanh((r - 1) / (r + 1)), which converges
        // fast because (r - 1) / (r + 1) < 1/3.
        var k = 0;
        while (a >= b << (k + 1))
        {
            k++;
        }

        var scaled = b << k;
        var s = ((UInt128)(a - scaled) << 64) / (a + scaled);
        return (Ln2 * (uint)k) + (2 * Atanh(s));
    }

    /// <summary>atanh(s) = s + s^3/3 + s^5/5 + ..., s with 64 fractional bits and below 1/2.</summary>
    private static UInt128 Atanh(UInt128 s)
    {
        var square = (s * s) >> 64;
        var sum = UInt128.Zero;
        var power = s;
        for (uint n = 1; power != 0; n += 2)
        {
            sum += power / n;
            power = (power * square) >> 64;
        }

        return sum;
    }
}
