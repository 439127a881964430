namespace OpenNlb.Linux.Processes;

public sealed record CommandResult(int ExitCode, string StandardOutput, string StandardError);
