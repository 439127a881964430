namespace OpenNlb.Lab;

/// <summary>
/// Finds nlbd and nlb: an explicit path, else an environment variable, else the build output under
/// the repository root (the directory holding OpenNlb.slnx, found by walking up from this binary),
/// else, in an installed copy with no repository around it, the one beside this binary.
/// </summary>
public static class ToolLocator
{
    public const string SolutionFile = "OpenNlb.slnx";

    public static string FindNlbd(string? explicitPath) =>
        Find("nlbd", explicitPath, "--nlbd", Environment.GetEnvironmentVariable("NLBD"), "NLBD", processIsTool: false);

    public static string FindNlb(string? explicitPath) =>
        Find("nlb", explicitPath, "NlbPath", Environment.GetEnvironmentVariable("NLB"), "NLB", processIsTool: true);

    /// <summary>The repository root above <paramref name="start"/>, or null when there is none (an installed binary).</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    /// <summary>Where `dotnet build src/&lt;project&gt;` puts the binary (UseArtifactsOutput).</summary>
    public static string BuildOutput(string repositoryRoot, string project) =>
        Path.Combine(repositoryRoot, "artifacts", "bin", project, "debug", project);

    private static string Find(string tool, string? explicitPath, string optionName, string? environmentPath, string variable, bool processIsTool)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return Existing(explicitPath, $"{tool} given by {optionName}");
        }

        if (!string.IsNullOrEmpty(environmentPath))
        {
            return Existing(environmentPath, $"{tool} given by the environment variable {variable}");
        }

        if (processIsTool && Environment.ProcessPath is { } self && Path.GetFileName(self) == tool)
        {
            return self;
        }

        // Installed from the Debian package, nlb and nlbd are side by side in /usr/lib/opennlb.
        var installed = Path.Combine(AppContext.BaseDirectory, tool);
        var root = FindRepositoryRoot(AppContext.BaseDirectory);
        if (root is null && File.Exists(installed))
        {
            return installed;
        }

        return root is null
            ? throw new LabException($"cannot find {tool}: no {optionName}, no {variable} in the environment, not installed beside this program, and no {SolutionFile} above {AppContext.BaseDirectory}")
            : Existing(BuildOutput(root, tool), $"{tool} (built by `dotnet build src/{tool}`; or pass {optionName} or set {variable})");
    }

    private static string Existing(string path, string what)
    {
        var full = Path.GetFullPath(path);
        return File.Exists(full) ? full : throw new LabException($"{what} not found at {full}");
    }
}
