using Xunit;

namespace OpenNlb.EndToEnd.Tests.Support;

/// <summary>Skips (never silently passes) a test whose environment is missing.</summary>
internal static class Requires
{
    public static void RootAndTools(params string[] tools)
    {
        if (!IsRoot)
        {
            Assert.Skip("needs root for network namespaces and nftables");
        }

        foreach (var tool in tools.Append("ip"))
        {
            if (!HasTool(tool))
            {
                Assert.Skip($"needs '{tool}' (install it: apt-get install {tool})");
            }
        }
    }

    /// <summary>For fixtures, which cannot skip: whether a lab can be built at all.</summary>
    public static bool CanRunLabs() => IsRoot && HasTool("ip") && HasTool("nft");

    private static bool IsRoot => Environment.UserName == "root";

    public static bool HasTool(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin")
            .Split(':').Append("/usr/sbin").Append("/sbin")
            .Any(dir => File.Exists(Path.Combine(dir, tool)));
}
