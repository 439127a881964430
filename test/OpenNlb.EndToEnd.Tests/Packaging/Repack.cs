using OpenNlb.Linux.Processes;

namespace OpenNlb.EndToEnd.Tests.Packaging;

/// <summary>A package as a later version of itself, to test an upgrade without a second build.</summary>
internal static class Repack
{
    /// <summary>The package again under another version (uncompressed: only the version matters).</summary>
    public static async Task<string> WithVersionAsync(string deb, string version, CancellationToken ct)
    {
        var work = Directory.CreateTempSubdirectory("onlb-tp-repack-").FullName;
        var tree = Path.Combine(work, "tree");
        await CommandRunner.RunCheckedAsync("dpkg-deb", ["-R", deb, tree], TimeSpan.FromMinutes(2), cancellationToken: ct);
        var control = Path.Combine(tree, "DEBIAN/control");
        var lines = (await File.ReadAllLinesAsync(control, ct)).Select(l => l.StartsWith("Version: ", StringComparison.Ordinal) ? "Version: " + version : l);
        await File.WriteAllLinesAsync(control, lines, ct);
        var output = Path.Combine(work, $"opennlb_{version}.deb");
        await CommandRunner.RunCheckedAsync("dpkg-deb", ["--root-owner-group", "-Znone", "--build", tree, output], TimeSpan.FromMinutes(2), cancellationToken: ct);
        return output;
    }
}
