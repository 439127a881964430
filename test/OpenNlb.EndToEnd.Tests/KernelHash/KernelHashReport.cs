namespace OpenNlb.EndToEnd.Tests.KernelHash;

/// <summary>What one kernel run showed: the flows sent and every way the kernel and the model differed.</summary>
internal sealed record KernelHashReport(
    IReadOnlyList<KernelFlow> Flows,
    IReadOnlyList<string> RulesNotListedBack,
    IReadOnlyList<KernelFlow> NotInConntrack,
    IReadOnlyList<string> Mismatches,
    int DistinctKernelBuckets,
    TimeSpan Elapsed);
