using System.Globalization;
using OpenNlb.Core.Status;

namespace OpenNlb.Cli.Control;

/// <summary>`nlb query` as text: this host, then every other host as this one sees it.</summary>
internal static class QueryFormatter
{
    public static string Format(HostStatus s)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine($"host {s.HostPriority}: {Words(s.State)}{(s.Reason is null ? string.Empty : $" ({s.Reason})")}");
        w.WriteLine($"  members: {(s.Members.Count == 0 ? "none" : string.Join(' ', s.Members))}   map epoch {s.Epoch >> 8}/{s.Epoch & 0xFF}   default host {(s.DefaultHost?.ToString(CultureInfo.InvariantCulture) ?? "none")}");
        foreach (var rule in s.Rules)
        {
            var owned = s.BucketsOwned.GetValueOrDefault(rule.Name);
            var kept = s.BucketsKept.GetValueOrDefault(rule.Name);
            // A single-host rule goes by handling priority, a disabled one by neither.
            var setting = rule.Filtering switch
            {
                "single" => $"handling priority {rule.HandlingPriority}",
                "disabled" => "filtering disabled",
                _ => $"weight {(rule.LoadWeight?.ToString(CultureInfo.InvariantCulture) ?? "equal")}",
            };
            w.WriteLine($"  rule {rule.Name}: {rule.State}, {setting}, owns {owned}, keeps {kept}");
        }

        // This host's own lines first: below the peers they would read as the last peer's.
        if (s.Staged is { } staged)
        {
            var waiting = staged.WaitingFor.Count == 0 ? "switching now" : "waiting for host(s) " + string.Join(", ", staged.WaitingFor);
            w.WriteLine($"  staged cluster section {staged.Fingerprint}: {string.Join("; ", staged.Changes)}; {waiting}");
        }

        w.WriteLine($"  convergences {s.Convergences}{(s.LastConvergenceMs is { } ms ? $", last took {ms:0} ms" : string.Empty)}");
        foreach (var peer in s.Peers)
        {
            var state = peer.KeptOut is not null ? $"kept out: {peer.KeptOut}"
                : !peer.Live ? $"silent for {peer.SilentForMs} ms"
                : peer.State is "stopped" or "suspended" or "draining" ? peer.State
                : peer.Epoch == s.Epoch && peer.Participant ? "converged"
                : "converging";
            w.WriteLine($"host {peer.HostPriority}: {state}");
        }

        return w.ToString();
    }

    private static string Words(string state) => state switch
    {
        "converged-default" => "converged as default",
        "duplicate-priority" => "kept out (duplicate host priority)",
        _ => state,
    };
}
