using System.CommandLine;
using System.Text.Json;
using OpenNlb.Core.Control;

namespace OpenNlb.Cli.Control;

/// <summary>
/// What every `--json` prints: one <see cref="ControlResponse"/>, indented, with its schema
/// version (docs/cli.md). Failures too: a script reads "ok" and "error" instead of parsing stderr.
/// </summary>
internal static class CliJson
{
    private static readonly ControlJsonContext Indented = new(new JsonSerializerOptions(ControlJsonContext.Default.Options)
    {
        WriteIndented = true,

        // For people and jq alike: 'web' rather than \u0027web\u0027. Nothing printed goes into HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public static Option<bool> Option() => new("--json") { Description = "Print the answer as JSON (schema: docs/cli.md)" };

    public static string Serialize(ControlResponse response) => JsonSerializer.Serialize(response, Indented.ControlResponse);

    public static void Print(ControlResponse response) => Console.WriteLine(Serialize(response));
}
