using System.Globalization;
using System.Net;
using OpenNlb.Core.Configuration;
using OpenNlb.Linux.Processes;

namespace OpenNlb.Linux.Conntrack;

/// <summary>
/// This network namespace's conntrack entries for the VIPs, through conntrack(8) from
/// conntrack-tools. A process per call rather than ctnetlink by hand: nlbd reads the table about
/// once a second while it keeps buckets and once per hand-over, where a process costs nothing that
/// matters, and conntrack(8)'s filters and output are what operators already use and can rerun.
/// </summary>
/// <param name="networkNamespace">Run inside this named namespace (`ip netns exec`), or null for the caller's own.</param>
public sealed class ConntrackTable(string? networkNamespace = null)
{
    private const string Tool = "conntrack";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>The TCP and UDP entries whose original destination is one of <paramref name="vips"/>.</summary>
    public async Task<IReadOnlyList<ConntrackEntry>> ListAsync(IEnumerable<IPAddress> vips, CancellationToken cancellationToken = default)
    {
        var entries = new List<ConntrackEntry>();
        foreach (var vip in vips)
        {
            // -d filters on the original destination; the parser keeps TCP and UDP.
            var result = await RunCheckedAsync(["-L", "-d", vip.ToString()], cancellationToken);
            entries.AddRange(ConntrackParser.Parse(result.StandardOutput).Where(e => e.Vip.Equals(vip)));
        }

        return entries;
    }

    /// <summary>
    /// The entries of one flow (client port 0: any port of the client), for `nlb owner`: whether
    /// this host has the flow, whatever the map says.
    /// </summary>
    public async Task<IReadOnlyList<ConntrackEntry>> FindAsync(Protocol protocol, IPAddress client, int clientPort, IPAddress vip, int vipPort, CancellationToken cancellationToken = default)
    {
        var proto = protocol == Protocol.Udp ? "udp" : "tcp";
        List<string> arguments = ["-L", "-p", proto, "-s", client.ToString(), "-d", vip.ToString(), "--dport", vipPort.ToString(CultureInfo.InvariantCulture)];
        if (clientPort > 0)
        {
            arguments.AddRange(["--sport", clientPort.ToString(CultureInfo.InvariantCulture)]);
        }

        var result = await RunAsync(arguments, cancellationToken);

        // Some versions exit 1 when nothing matched.
        if (result.ExitCode is not (0 or 1))
        {
            throw new CommandFailedException(result.Command, result.ExitCode, result.StandardError, $"exited with code {result.ExitCode}");
        }

        return ConntrackParser.Parse(result.StandardOutput)
            .Where(e => e.Vip.Equals(vip) && e.Client.Equals(client) && e.VipPort == vipPort && (clientPort == 0 || e.ClientPort == clientPort))
            .ToList();
    }

    /// <summary>
    /// Deletes the UDP entries to the VIPs: what a restarted daemon does before it rejoins, since
    /// the other hosts have been serving those flows. Returns how many entries went.
    /// </summary>
    public async Task<int> DeleteUdpAsync(IEnumerable<IPAddress> vips, CancellationToken cancellationToken = default)
    {
        var deleted = 0;
        foreach (var vip in vips)
        {
            var result = await RunAsync(["-D", "-p", "udp", "-d", vip.ToString()], cancellationToken);

            // conntrack exits 1 when nothing matched ("0 flow entries have been deleted").
            if (result.ExitCode is not (0 or 1))
            {
                throw new CommandFailedException(result.Command, result.ExitCode, result.StandardError, $"exited with code {result.ExitCode}");
            }

            deleted += ConntrackParser.Parse(result.StandardOutput).Count;
        }

        return deleted;
    }

    private Task<CommandResult> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        networkNamespace is null
            ? CommandRunner.RunAsync(Tool, arguments, Timeout, cancellationToken: cancellationToken)
            : CommandRunner.RunAsync("ip", ["netns", "exec", networkNamespace, Tool, .. arguments], Timeout, cancellationToken: cancellationToken);

    private async Task<CommandResult> RunCheckedAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await RunAsync(arguments, cancellationToken);
        return result.ExitCode == 0
            ? result
            : throw new CommandFailedException(result.Command, result.ExitCode, result.StandardError, $"exited with code {result.ExitCode}");
    }
}
