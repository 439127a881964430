using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace OpenNlb.Daemon;

/// <summary>
/// nlbd's log: one line per event, each with its event id (<c>nlbd[1200]</c>, docs/logging.md).
/// Under systemd, with standard output connected to the journal, the line starts with a syslog
/// priority (<c>&lt;6&gt;</c>) that journald turns into the entry's priority, and carries no
/// timestamp (the journal has its own); elsewhere it is the console's single-line format.
/// </summary>
internal static class LogSetup
{
    /// <param name="also">Providers that see every event too (the recent events of <c>nlb display</c>).</param>
    public static ILoggerFactory Create(LogLevel level, bool journal, params ILoggerProvider[] also) =>
        LoggerFactory.Create(b =>
        {
            b.SetMinimumLevel(level);
            foreach (var provider in also)
            {
                b.AddProvider(provider);
            }

            if (journal)
            {
                b.AddSystemdConsole(o => o.IncludeScopes = false);
            }
            else
            {
                b.AddSimpleConsole(o =>
                {
                    o.SingleLine = true;
                    o.TimestampFormat = "HH:mm:ss.fff ";
                });
            }
        });

    /// <summary>
    /// Whether standard output is the journal stream systemd gave this process: JOURNAL_STREAM holds
    /// "device:inode" of that stream (systemd.exec(5)), and a process that inherited the variable
    /// but writes elsewhere (a shell started from a service, a redirect) must not use the journal's
    /// format. The journal stream is a socket; its inode is compared.
    /// </summary>
    public static bool IsStdoutTheJournal() =>
        IsJournalStream(Environment.GetEnvironmentVariable("JOURNAL_STREAM"), StdoutLink());

    /// <param name="journalStream">JOURNAL_STREAM's value, or null.</param>
    /// <param name="stdoutLink">What /proc/self/fd/1 links to (<c>socket:[12345]</c>), or null.</param>
    internal static bool IsJournalStream(string? journalStream, string? stdoutLink)
    {
        if (journalStream is null || stdoutLink is null)
        {
            return false;
        }

        var colon = journalStream.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || !ulong.TryParse(journalStream.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var inode)
            || !ulong.TryParse(journalStream.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return false;
        }

        const string Socket = "socket:[";
        return stdoutLink.StartsWith(Socket, StringComparison.Ordinal) && stdoutLink.EndsWith(']')
            && ulong.TryParse(stdoutLink.AsSpan(Socket.Length, stdoutLink.Length - Socket.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var socket)
            && socket == inode;
    }

    private static string? StdoutLink()
    {
        try
        {
            return new FileInfo("/proc/self/fd/1").LinkTarget;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
