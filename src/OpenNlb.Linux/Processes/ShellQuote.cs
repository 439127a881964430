using System.Buffers;

namespace OpenNlb.Linux.Processes;

/// <summary>POSIX shell quoting, for showing commands and for the one `sh -c` the launcher uses.</summary>
public static class ShellQuote
{
    private static readonly SearchValues<char> Plain =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,");

    public static string Quote(string word) =>
        word.Length > 0 && !word.AsSpan().ContainsAnyExcept(Plain)
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
