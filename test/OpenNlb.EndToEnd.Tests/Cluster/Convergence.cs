using OpenNlb.Lab;

namespace OpenNlb.EndToEnd.Tests.Cluster;

internal static class Convergence
{
    /// <summary>Waits (bounded) until every listed host reports itself converged with exactly these members.</summary>
    public static async Task WaitAsync(LabHandle lab, IReadOnlyCollection<int> members, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        var expected = members.Order().ToList();
        string last = "no status yet";
        while (DateTime.UtcNow < deadline)
        {
            var views = expected.Select(h => (h, lab.ReadStatus(h))).ToList();
            if (views.All(v => v.Item2 is { } s && s.State.StartsWith("converged", StringComparison.Ordinal) && s.LiveHosts.SequenceEqual(expected)))
            {
                return;
            }

            last = string.Join("; ", views.Select(v => $"h{v.h}: {v.Item2?.State ?? "none"} [{string.Join(' ', v.Item2?.LiveHosts ?? [])}]"));
            await Task.Delay(50);
        }

        throw new TimeoutException($"hosts [{string.Join(' ', expected)}] did not converge within {timeout.TotalSeconds:0.#} s: {last}");
    }
}
