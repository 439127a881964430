namespace OpenNlb.EndToEnd.Tests.Lab;

/// <summary>
/// Stand-ins for nlbd, as shell scripts, so the lab's side of the nlbd contract (command line,
/// state file, signals) is tested before the daemon exists.
/// </summary>
internal static class FakeNlbd
{
    /// <summary>
    /// A daemon that takes `--config F --state-file S`, writes a HostStatus with the priority from
    /// its configuration to S every 200 ms, and exits 0 on SIGTERM.
    /// </summary>
    public const string WellBehaved = """
        while [ $# -gt 0 ]; do
          case "$1" in
            --config) config=$2; shift ;;
            --state-file) state=$2; shift ;;
          esac
          shift
        done
        priority=$(sed -n 's/^  priority: *//p' "$config")
        trap 'rm -f "$state"; exit 0' TERM
        while :; do
          now=$(date -u +%Y-%m-%dT%H:%M:%SZ)
          printf '{"hostPriority":%s,"processId":%s,"state":"converged","liveHosts":[%s],"defaultHost":%s,"bucketsOwned":{"web":60,"echo":60},"convergences":1,"updatedAt":"%s"}' \
            "$priority" "$$" "$priority" "$priority" "$now" > "$state.tmp"
          mv "$state.tmp" "$state"
          sleep 0.2
        done
        """;

    /// <summary>Writes an executable script with this body to a temporary file and returns its path.</summary>
    public static string Write(string body)
    {
        var path = Path.Combine(Path.GetTempPath(), $"fake-nlbd-{Guid.NewGuid():N}.sh");
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }
}
