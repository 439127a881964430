using System.Text;

namespace OpenNlb.Lab.Bench;

/// <summary>A plain text table: columns padded to their widest cell, the last one left ragged.</summary>
internal sealed class BenchTable(params string[] headers)
{
    private readonly List<string[]> rows = [];

    public void Add(params string[] cells) => rows.Add(cells);

    public override string ToString()
    {
        var all = rows.Prepend(headers).ToList();
        var widths = Enumerable.Range(0, headers.Length).Select(c => all.Max(r => c < r.Length ? r[c].Length : 0)).ToArray();
        var text = new StringBuilder();
        foreach (var (row, i) in all.Select((r, i) => (r, i)))
        {
            text.AppendLine(string.Join("  ", row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c]))).TrimEnd());
            if (i == 0)
            {
                text.AppendLine(string.Join("  ", widths.Select(w => new string('-', w))));
            }
        }

        return text.ToString();
    }
}
