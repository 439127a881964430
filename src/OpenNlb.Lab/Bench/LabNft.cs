using OpenNlb.Linux.Processes;

namespace OpenNlb.Lab.Bench;

/// <summary>nft inside a lab node, a script on stdin; a failure names the node and nft's error.</summary>
internal static class LabNft
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task RunAsync(LabHandle lab, string node, string script, CancellationToken cancellationToken)
    {
        var result = await CommandRunner.RunAsync("ip", ["netns", "exec", lab.Node(node).Namespace, "nft", "-f", "-"], Timeout, script, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new LabException($"nft in {node} failed ({result.ExitCode}): {result.StandardError.Trim()}\nscript:\n{script}");
        }
    }

    /// <summary>Runs `nft ARGS` in the node and returns its output.</summary>
    public static async Task<string> QueryAsync(LabHandle lab, string node, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await lab.ExecAsync(node, ["nft", .. arguments], Timeout, cancellationToken);
        return result.ExitCode == 0
            ? result.StandardOutput
            : throw new LabException($"nft {string.Join(' ', arguments)} in {node} failed ({result.ExitCode}): {result.StandardError.Trim()}");
    }
}
