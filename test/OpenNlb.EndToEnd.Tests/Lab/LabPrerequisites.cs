using OpenNlb.Lab;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.Lab;

/// <summary>Skips a test that cannot run here (not root, a tool missing), saying why.</summary>
internal static class LabPrerequisites
{
    public static void SkipUnlessLabCanRun(params string[] tools)
    {
        if (Labs.MissingPrerequisite() is { } missing)
        {
            Assert.Skip(missing);
        }

        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        foreach (var tool in tools)
        {
            if (!path.Any(dir => File.Exists(Path.Combine(dir, tool))))
            {
                Assert.Skip($"{tool} is not installed");
            }
        }
    }

    /// <summary>True when the process is gone or a zombie, waiting a little for its parent to reap it.</summary>
    public static async Task<bool> IsGoneAsync(int pid)
    {
        for (var i = 0; i < 40; i++)
        {
            try
            {
                var stat = await File.ReadAllTextAsync($"/proc/{pid}/stat");
                if (stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z'))
                {
                    return true;
                }
            }
            catch (IOException)
            {
                return true;
            }

            await Task.Delay(50);
        }

        return false;
    }

    /// <summary>The network namespaces whose names start with <paramref name="prefix"/>.</summary>
    public static IReadOnlyList<string> Namespaces(string prefix) =>
        Directory.Exists("/run/netns")
            ? [.. Directory.EnumerateFiles("/run/netns").Select(Path.GetFileName).OfType<string>().Where(n => n.StartsWith(prefix, StringComparison.Ordinal))]
            : [];
}
