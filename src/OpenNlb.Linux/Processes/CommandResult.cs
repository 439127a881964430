namespace OpenNlb.Linux.Processes;

/// <summary>What an external command did: its exit code and everything it printed.</summary>
public sealed record CommandResult(string Command, int ExitCode, string StandardOutput, string StandardError);
