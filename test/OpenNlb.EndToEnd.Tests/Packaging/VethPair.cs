using System.Globalization;
using OpenNlb.Linux.Processes;

namespace OpenNlb.EndToEnd.Tests.Packaging;

/// <summary>
/// Two network namespaces (onlb-tp-...) joined by a veth pair whose ends are both named eth0: two
/// hosts on one segment. Disposing kills whatever still runs in them and deletes them.
/// </summary>
internal sealed class VethPair : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private VethPair(string first, string second) => (First, Second) = (first, second);

    public string First { get; }

    public string Second { get; }

    public static async Task<VethPair> CreateAsync(string firstAddress, string secondAddress, CancellationToken ct)
    {
        var id = Guid.NewGuid().ToString("n")[..6];
        var pair = new VethPair($"onlb-tp-{id}-1", $"onlb-tp-{id}-2");
        try
        {
            await CommandRunner.RunCheckedAsync("ip", ["netns", "add", pair.First], Timeout, cancellationToken: ct);
            await CommandRunner.RunCheckedAsync("ip", ["netns", "add", pair.Second], Timeout, cancellationToken: ct);
            await CommandRunner.RunCheckedAsync("ip", ["-n", pair.First, "link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", pair.Second], Timeout, cancellationToken: ct);
            foreach (var (ns, address) in new[] { (pair.First, firstAddress), (pair.Second, secondAddress) })
            {
                await CommandRunner.RunCheckedAsync("ip", ["-n", ns, "link", "set", "lo", "up"], Timeout, cancellationToken: ct);
                await CommandRunner.RunCheckedAsync("ip", ["-n", ns, "link", "set", "eth0", "up"], Timeout, cancellationToken: ct);
                await CommandRunner.RunCheckedAsync("ip", ["-n", ns, "addr", "add", address, "dev", "eth0"], Timeout, cancellationToken: ct);
            }
        }
        catch
        {
            await pair.DisposeAsync();
            throw;
        }

        return pair;
    }

    /// <summary>eth0's MAC and IPv4 addresses in <paramref name="ns"/>, as `ip` shows them.</summary>
    public static async Task<string> ShowAsync(string ns, CancellationToken ct) =>
        (await CommandRunner.RunCheckedAsync("ip", ["-n", ns, "-br", "link", "show", "eth0"], Timeout, cancellationToken: ct)).StandardOutput
        + (await CommandRunner.RunCheckedAsync("ip", ["-n", ns, "-4", "-br", "addr", "show", "eth0"], Timeout, cancellationToken: ct)).StandardOutput;

    public async ValueTask DisposeAsync()
    {
        foreach (var ns in new[] { First, Second })
        {
            var pids = await CommandRunner.RunAsync("ip", ["netns", "pids", ns], Timeout);
            foreach (var pid in pids.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    await CommandRunner.RunAsync("kill", ["-KILL", pid], Timeout);
                }
            }

            await CommandRunner.RunAsync("ip", ["netns", "del", ns], Timeout);
        }
    }
}
