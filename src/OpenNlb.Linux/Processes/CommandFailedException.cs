namespace OpenNlb.Linux.Processes;

/// <summary>An external command failed: it could not start, timed out, or exited non-zero.</summary>
public sealed class CommandFailedException : Exception
{
    public CommandFailedException()
    {
        Command = "";
        StandardError = "";
    }

    public CommandFailedException(string message)
        : base(message)
    {
        Command = "";
        StandardError = "";
    }

    public CommandFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Command = "";
        StandardError = "";
    }

    public CommandFailedException(string command, int? exitCode, string standardError, string reason, Exception? innerException = null)
        : base($"`{command}` {reason}{(standardError.Length > 0 ? ": " + standardError.Trim() : "")}", innerException)
    {
        Command = command;
        ExitCode = exitCode;
        StandardError = standardError;
    }

    public string Command { get; }

    /// <summary>The exit code, or null when the command did not start or was killed after its timeout.</summary>
    public int? ExitCode { get; }

    public string StandardError { get; }
}
