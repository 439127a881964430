using System.Collections.Concurrent;
using System.Diagnostics;

namespace OpenNlb.Lab.Control;

/// <summary>
/// What the nlbd binary the lab runs understands. The lab starts nlbd with `--control-socket`
/// only when `nlbd --help` lists that option: an nlbd built before the control socket rejects
/// unknown options and would not start at all. Asked once per binary (path and modification
/// time). A script (the tests' stand-ins for nlbd) is not asked: it may not know --help at all.
/// </summary>
public static class NlbdFeatures
{
    public const string ControlSocketOption = "--control-socket";

    private static readonly TimeSpan HelpTimeout = TimeSpan.FromSeconds(10);
    private static readonly ConcurrentDictionary<(string Path, DateTime Modified), bool> Known = new();

    public static bool AcceptsControlSocket(string nlbdPath) =>
        Known.GetOrAdd((nlbdPath, File.GetLastWriteTimeUtc(nlbdPath)), key => !IsScript(key.Path) && Usage(key.Path).Contains(ControlSocketOption, StringComparison.Ordinal));

    private static bool IsScript(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> start = stackalloc byte[2];
        return file.Read(start) == 2 && start.SequenceEqual("#!"u8);
    }

    /// <summary>What `nlbd --help` prints; empty if it does not finish in time (then it is not an nlbd that knows the option).</summary>
    private static string Usage(string nlbdPath)
    {
        var start = new ProcessStartInfo(nlbdPath, ["--help"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new LabException($"cannot run {nlbdPath} --help");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(HelpTimeout))
        {
            process.Kill(entireProcessTree: true);
            return "";
        }

        return output.GetAwaiter().GetResult() + error.GetAwaiter().GetResult();
    }
}
