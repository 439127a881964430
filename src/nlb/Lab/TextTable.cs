using System.Text;

namespace OpenNlb.Cli.Lab;

/// <summary>Left-aligned columns separated by two spaces, like `ip -br` or `docker ps`.</summary>
internal sealed class TextTable(params string[] headers)
{
    private readonly List<string[]> rows = [headers];

    public void Add(params string[] cells) => rows.Add(cells);

    public override string ToString()
    {
        var widths = Enumerable.Range(0, headers.Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            _ = text.AppendJoin("  ", row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c]))).Append('\n');
        }

        return text.ToString();
    }
}
