using Xunit;

namespace OpenNlb.EndToEnd.Tests.Support;

/// <summary>Skips (never silently passes) a test whose environment is missing.</summary>
internal static class Requires
{
    public static void RootAndTools(params string[] tools)
    {
        if (Environment.UserName != "root" && !string.Equals(Environment.GetEnvironmentVariable("USER"), "root", StringComparison.Ordinal))
        {
            Assert.Skip("needs root for network namespaces and nftables");
        }

        foreach (var tool in tools.Append("ip"))
        {
            var found = (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin")
                .Split(':').Append("/usr/sbin").Append("/sbin")
                .Any(dir => File.Exists(Path.Combine(dir, tool)));
            if (!found)
            {
                Assert.Skip($"needs '{tool}' (install it: apt-get install {tool})");
            }
        }
    }
}
