using System.CommandLine;
using System.Net;
using OpenNlb.Cli.Control;
using OpenNlb.Core.Control;

namespace OpenNlb.Cli;

/// <summary>`nlb ip2mac VIP`: nlb.exe's ip2mac, the cluster MACs of a primary cluster IP; no daemon needed.</summary>
internal static class Ip2MacCommand
{
    public static Command Create()
    {
        var vip = new Argument<string>("vip") { Description = "The cluster's primary IP (an IPv4 address)" };
        var json = CliJson.Option();
        var command = new Command("ip2mac", "Show the cluster MAC of a cluster IP in unicast and multicast mode (no daemon needed)") { vip, json };
        command.SetAction(parse => Answer.RunAsync(
            parse.GetValue(json),
            () =>
            {
                var text = parse.GetValue(vip)!;
                if (!IPAddress.TryParse(text, out var address))
                {
                    throw new UsageException($"vip: '{text}' is not an IP address");
                }

                var (report, error) = MacReport.Of(address);
                return Task.FromResult(report is null
                    ? ControlResponse.Failed(error!)
                    : new ControlResponse { SchemaVersion = ControlResponse.CurrentSchemaVersion, Ok = true, Mac = report });
            },
            response => Console.Write(Format(response.Mac!))));
        return command;
    }

    /// <summary>nlb.exe's dashes, and the colons ip(8) and nft write.</summary>
    internal static string Format(MacReport mac) =>
        $"cluster IP:     {mac.Vip}\n" +
        $"unicast MAC:    {mac.Unicast.Replace(':', '-')}  ({mac.Unicast})\n" +
        $"multicast MAC:  {mac.Multicast.Replace(':', '-')}  ({mac.Multicast})\n";
}
