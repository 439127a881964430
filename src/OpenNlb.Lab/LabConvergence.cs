namespace OpenNlb.Lab;

public static class LabConvergence
{
    /// <summary>Waits (bounded) until every listed host reports itself converged with exactly these members.</summary>
    public static async Task WaitAsync(LabHandle lab, IReadOnlyCollection<int> members, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        var expected = members.Order().ToList();
        var last = "no status yet";
        while (DateTime.UtcNow < deadline)
        {
            var views = expected.Select(h => (Host: h, Status: lab.ReadStatus(h))).ToList();
            if (views.All(v => v.Status is { } s && s.State.StartsWith("converged", StringComparison.Ordinal) && s.LiveHosts.SequenceEqual(expected)))
            {
                return;
            }

            last = string.Join("; ", views.Select(v => $"h{v.Host}: {v.Status?.State ?? "none"} [{string.Join(' ', v.Status?.LiveHosts ?? [])}]"));
            await Task.Delay(50, cancellationToken);
        }

        throw new TimeoutException(
            $"hosts [{string.Join(' ', expected)}] did not converge within {timeout.TotalSeconds:0.#} s: {last}; see the logs in {lab.Paths.Directory}");
    }
}
