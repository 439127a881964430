using OpenNlb.Core.Status;
using OpenNlb.Lab.Control;

namespace OpenNlb.Lab;

public static class LabConvergence
{
    /// <summary>The multiple-host rules whose shares <see cref="WaitForMapAsync"/> compares.</summary>
    private static readonly string[] SharedRules = ["web", "echo"];

    /// <summary>
    /// Waits (bounded) until every listed host reports itself converged with exactly these members, on one map,
    /// from the state files. Not over the control socket: polling the three daemons every 50 ms while
    /// a change is measured loaded their loops enough that leases lapsed for a few milliseconds
    /// (UDP datagrams unanswered in the planned-change tests). A state file can be stale just after
    /// a change; with takeovers on, a healed partition can read "converged" for a moment.
    /// </summary>
    public static async Task WaitAsync(LabHandle lab, IReadOnlyCollection<int> members, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        var expected = members.Order().ToList();
        var last = "no status yet";
        while (DateTime.UtcNow < deadline)
        {
            var views = expected.Select(h => (Host: h, Status: lab.ReadStatus(h))).ToList();
            // On one map: a state file written under a map the cluster has since left can read
            // "converged" with the same members.
            if (views.All(v => v.Status is { } s && s.State.StartsWith("converged", StringComparison.Ordinal) && s.LiveHosts.SequenceEqual(expected))
                && views.Select(v => v.Status!.Epoch).Distinct().Count() == 1)
            {
                return;
            }

            last = string.Join("; ", views.Select(v => $"h{v.Host}: {v.Status?.State ?? "none"} [{string.Join(' ', v.Status?.LiveHosts ?? [])}] epoch {v.Status?.Epoch}"));
            await Task.Delay(50, cancellationToken);
        }

        throw new TimeoutException(
            $"hosts [{string.Join(' ', expected)}] did not converge within {timeout.TotalSeconds:0.#} s: {last}; see the logs in {lab.Paths.Directory}");
    }

    /// <summary>
    /// Waits (bounded) until each of <paramref name="hosts"/> owns exactly its share of
    /// <paramref name="model"/>'s map for the rules web and echo (none, for a host that is not a
    /// member), and every member says it is converged. This sees a change that leaves the members
    /// as they were (a load weight) and one that leaves a host running with no share (drainstop).
    /// Asks nlbd over its control socket when it has one (fresh), else reads its state file.
    /// </summary>
    public static Task WaitForMapAsync(LabHandle lab, LabModel model, IReadOnlyCollection<int> hosts, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        return WaitForAsync(
            lab,
            hosts,
            Matches,
            (host, status) => $"{Describe(status)} (model: {string.Join(' ', SharedRules.Select(r => $"{r}={model.BucketCountOf(host, r)}"))})",
            timeout,
            $"did not take the map of members [{string.Join(' ', model.Members)}]",
            TimeSpan.FromMilliseconds(50),
            cancellationToken);

        bool Matches(int host, HostStatus? status) =>
            status is not null
            && (!model.Members.Contains(host) || status.State.StartsWith("converged", StringComparison.Ordinal))
            && SharedRules.All(r => status.BucketsOwned.GetValueOrDefault(r) == model.BucketCountOf(host, r));
    }

    /// <summary>
    /// Asks each host (<see cref="StatusAsync"/>) every <paramref name="every"/> until every
    /// status <paramref name="matches"/>; at the timeout, throws saying what each host said last.
    /// </summary>
    public static async Task WaitForAsync(
        LabHandle lab, IReadOnlyCollection<int> hosts, Func<int, HostStatus?, bool> matches, Func<int, HostStatus?, string> describe,
        TimeSpan timeout, string failure, TimeSpan every, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        var last = "no status yet";
        while (DateTime.UtcNow < deadline)
        {
            var views = new List<(int Host, HostStatus? Status)>();
            foreach (var host in hosts)
            {
                views.Add((host, await StatusAsync(lab, host, cancellationToken)));
            }

            if (views.All(v => matches(v.Host, v.Status)))
            {
                return;
            }

            last = string.Join("; ", views.Select(v => $"h{v.Host}: {describe(v.Host, v.Status)}"));
            await Task.Delay(every, cancellationToken);
        }

        throw new TimeoutException(
            $"hosts [{string.Join(' ', hosts)}] {failure} within {timeout.TotalSeconds:0.#} s: {last}; see the logs in {lab.Paths.Directory}");
    }

    /// <summary>Host i's status: from its control socket when it has one, else from its state file.</summary>
    public static async Task<HostStatus?> StatusAsync(LabHandle lab, int host, CancellationToken cancellationToken = default)
    {
        if (lab.HasControlSocket(host))
        {
            try
            {
                return (await lab.ControlAsync(host, ControlRequest.Query, cancellationToken)).HostStatus() ?? lab.ReadStatus(host);
            }
            catch (Exception e) when (e is LabException or TimeoutException)
            {
                // A daemon between two states may not answer; the state file is the fallback.
            }
        }

        return lab.ReadStatus(host);
    }

    private static string Describe(HostStatus? s) =>
        s is null ? "no status" : $"{s.State} [{string.Join(' ', s.LiveHosts)}] {string.Join(' ', s.BucketsOwned.Select(kv => $"{kv.Key}={kv.Value}"))}";
}
