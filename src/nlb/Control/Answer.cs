using OpenNlb.Cli.Lab;
using OpenNlb.Core.Control;

namespace OpenNlb.Cli.Control;

/// <summary>
/// Runs a command whose outcome is a <see cref="ControlResponse"/> and prints it: as JSON with
/// --json (failures included, exit code 1), else the error on stderr or the text on stdout.
/// </summary>
internal static class Answer
{
    public static Task<int> RunAsync(bool json, Func<Task<ControlResponse>> ask, Action<ControlResponse> text) => CliErrors.RunAsync(async () =>
    {
        ControlResponse response;
        try
        {
            response = await ask();
        }
        catch (Exception e) when (json && CliErrors.IsReported(e))
        {
            response = ControlResponse.Failed(e.Message);
        }

        if (json)
        {
            CliJson.Print(response);
            return response.Ok ? 0 : CliErrors.Failure;
        }

        if (!response.Ok)
        {
            // With --node or --cluster, what each host said, then the summary; not the same words
            // twice when the one host asked (a reload goes that way) said it all.
            Console.Write(HostCommands.HostLines(response));
            if (response.Hosts is not [{ } only] || only.Error != response.Error)
            {
                await Console.Error.WriteLineAsync($"nlb: {response.Error}");
            }

            return CliErrors.Failure;
        }

        text(response);
        return 0;
    });
}
