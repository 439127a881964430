namespace OpenNlb.Linux.Processes;

/// <summary>An external command failed; the message names the command, its exit code and what it said.</summary>
public sealed class CommandFailedException : Exception
{
    public CommandFailedException(string message)
        : base(message)
    {
    }

    public CommandFailedException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public CommandFailedException()
    {
    }
}
