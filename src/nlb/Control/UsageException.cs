namespace OpenNlb.Cli.Control;

/// <summary>A command line that cannot be carried out as written: exit code 2, like a parse error.</summary>
internal sealed class UsageException(string message) : Exception(message);
