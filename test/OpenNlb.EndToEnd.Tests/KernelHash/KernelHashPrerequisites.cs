using Xunit;

namespace OpenNlb.EndToEnd.Tests.KernelHash;

internal static class KernelHashPrerequisites
{
    public static void SkipUnlessMet()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            Assert.Skip("Needs root: the test creates a network namespace and loads nftables rules into it.");
        }

        foreach (var (tool, package) in new[] { ("ip", "iproute2"), ("nft", "nftables"), ("conntrack", "conntrack"), ("sysctl", "procps") })
        {
            if (!Support.Requires.HasTool(tool))
            {
                Assert.Skip($"Needs {tool}, which is not installed (Debian package {package}).");
            }
        }
    }
}
