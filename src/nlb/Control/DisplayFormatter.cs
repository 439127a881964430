using System.Globalization;
using OpenNlb.Cli.Lab;
using OpenNlb.Core.Control;

namespace OpenNlb.Cli.Control;

/// <summary>`nlb display` as text: nlb.exe's display in four sections.</summary>
internal static class DisplayFormatter
{
    public static string Format(ControlResponse r)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        if (r.Params is { } p)
        {
            w.WriteLine("=== Configuration");
            w.Write(ParamsFormatter.Format(p));
            w.WriteLine();
        }

        if (r.Status is { } status)
        {
            w.WriteLine("=== State");
            w.Write(QueryFormatter.Format(status));
            w.WriteLine();
        }

        var events = r.Events ?? [];
        w.WriteLine($"=== Last {events.Count} events (oldest first)");
        foreach (var e in events)
        {
            w.WriteLine($"{e.Time.ToLocalTime():yyyy-MM-dd HH:mm:ss.fff}  {e.Id}  {Level(e.Level)}{e.Text}");
        }

        if (r.Status is { } s)
        {
            w.WriteLine();
            w.WriteLine("=== Counters");
            var table = new TextTable("COUNTER", "VALUE");
            foreach (var (name, value) in s.Counters.OrderBy(c => c.Key, StringComparer.Ordinal))
            {
                table.Add(name, value.ToString(CultureInfo.InvariantCulture));
            }

            w.Write(table.ToString());
            w.WriteLine($"(taken at {s.UpdatedAt.ToLocalTime():yyyy-MM-dd HH:mm:ss.fff}, nlbd process {s.ProcessId})");
        }

        return w.ToString();
    }

    /// <summary>Information is the usual; only the others are marked.</summary>
    private static string Level(string level) => level switch
    {
        "information" => string.Empty,
        _ => level.ToUpperInvariant() + ": ",
    };
}
