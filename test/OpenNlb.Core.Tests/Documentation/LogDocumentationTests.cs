using System.Text.RegularExpressions;
using Xunit;

namespace OpenNlb.Core.Tests.Documentation;

/// <summary>docs/logging.md lists exactly the events nlbd can log, each with its id and level.</summary>
public sealed partial class LogDocumentationTests
{
    [Fact]
    public void EveryLoggerMessageOfNlbd_IsInTheEventTable_WithItsLevel_AndNothingElseIs()
    {
        var inCode = Directory.EnumerateFiles(Path.Combine(RepositoryFiles.Root, "src", "nlbd"), "*.cs", SearchOption.AllDirectories)
            .SelectMany(f => LoggerMessage().Matches(File.ReadAllText(f)))
            .Select(m => $"{m.Groups["id"].Value} {m.Groups["level"].Value}")
            .Order(StringComparer.Ordinal)
            .ToList();
        var documented = TableRow().Matches(RepositoryFiles.Read("docs/logging.md"))
            .Select(m => $"{m.Groups["id"].Value} {m.Groups["level"].Value}")
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.NotEmpty(inCode);
        Assert.Equal(inCode.Distinct().Count(), inCode.Count);
        Assert.Equal(inCode, documented);
    }

    [GeneratedRegex(@"\[LoggerMessage\((?<id>\d+),\s*LogLevel\.(?<level>\w+)")]
    private static partial Regex LoggerMessage();

    [GeneratedRegex(@"^\| (?<id>\d+) \| (?<level>\w+) \|", RegexOptions.Multiline)]
    private static partial Regex TableRow();
}
