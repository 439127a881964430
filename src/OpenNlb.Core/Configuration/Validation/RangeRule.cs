namespace OpenNlb.Core.Configuration.Validation;

internal static class RangeRule
{
    /// <summary>Reports "<c>5 is outside 10..10000</c>" unless the value is in range or unknown.</summary>
    public static void Check(ErrorSink errors, string path, int value, int min, int max)
    {
        if (errors.IsKnown(path) && (value < min || value > max))
        {
            errors.Add(path, $"{value} is outside {min}..{max}");
        }
    }
}
