using System.Collections.Concurrent;
using System.Diagnostics;

namespace OpenNlb.Lab.Control;

/// <summary>
/// What the nlbd binary the lab runs understands. The lab starts nlbd with `--control-socket`
/// only when its usage mentions that option: an nlbd built before the control socket rejects
/// unknown options and would not start at all. Asked once per binary (path and modification time).
/// </summary>
public static class NlbdFeatures
{
    public const string ControlSocketOption = "--control-socket";

    private static readonly TimeSpan HelpTimeout = TimeSpan.FromSeconds(15);
    private static readonly ConcurrentDictionary<(string Path, DateTime Modified), bool> Known = new();

    public static bool AcceptsControlSocket(string nlbdPath) =>
        Known.GetOrAdd((nlbdPath, File.GetLastWriteTimeUtc(nlbdPath)), key => Usage(key.Path).Contains(ControlSocketOption, StringComparison.Ordinal));

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
            process.Kill();
            throw new LabException($"{nlbdPath} --help did not finish within {HelpTimeout.TotalSeconds:0} s");
        }

        return output.GetAwaiter().GetResult() + error.GetAwaiter().GetResult();
    }
}
