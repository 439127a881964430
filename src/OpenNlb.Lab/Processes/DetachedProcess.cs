using System.Diagnostics;
using OpenNlb.Linux.Processes;

namespace OpenNlb.Lab.Processes;

/// <summary>
/// Starts a long-lived program (nlbd, the lab service) inside a namespace so that it outlives the
/// `nlb lab up` that started it: output appended to a log file rather than a pipe that would break
/// when nlb exits, stdin from /dev/null, and a session of its own so that the terminal's Ctrl-C or
/// hang-up does not reach it. sh, setsid and `ip netns exec` each exec the next, so the pid of the
/// returned process is the program's own pid.
/// </summary>
internal static class DetachedProcess
{
    private const string Script = "log=$1; shift; exec setsid ip netns exec \"$@\" >>\"$log\" 2>&1 </dev/null";

    public static Process Start(string ns, IReadOnlyList<string> argv, string logPath)
    {
        var startInfo = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        foreach (var argument in (IEnumerable<string>)["-c", Script, "opennlb-lab", logPath, ns, .. argv])
        {
            startInfo.ArgumentList.Add(argument);
        }

        return Process.Start(startInfo)
            ?? throw new LabException($"could not start {CommandRunner.Format(argv[0], argv.Skip(1))} in {ns}");
    }
}
