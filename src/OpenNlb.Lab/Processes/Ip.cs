using OpenNlb.Linux.Processes;
namespace OpenNlb.Lab.Processes;

/// <summary>iproute2 and sysctl through <see cref="CommandRunner"/>, in the root namespace or a named one.</summary>
internal static class Ip
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <summary>Runs `ip -batch -` (in namespace <paramref name="ns"/> when given): one process for many changes.</summary>
    public static Task<CommandResult> BatchAsync(string? ns, IEnumerable<string> lines, CancellationToken cancellationToken) =>
        CommandRunner.RunCheckedAsync(
            "ip",
            ns is null ? ["-batch", "-"] : ["-n", ns, "-batch", "-"],
            Timeout,
            string.Join('\n', lines) + "\n",
            cancellationToken);

    public static Task<CommandResult> RunAsync(string? ns, IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        CommandRunner.RunCheckedAsync("ip", ns is null ? arguments : [.. new[] { "-n", ns }, .. arguments], Timeout, null, cancellationToken);

    /// <summary>Sets sysctls inside a namespace; with <paramref name="ignoreUnknown"/>, keys this kernel lacks are skipped.</summary>
    public static Task<CommandResult> SysctlAsync(string ns, IEnumerable<string> settings, bool ignoreUnknown, CancellationToken cancellationToken) =>
        CommandRunner.RunCheckedAsync(
            "ip",
            ["netns", "exec", ns, "sysctl", "-q", .. ignoreUnknown ? new[] { "-e" } : [], "-w", .. settings],
            Timeout,
            null,
            cancellationToken);
}
