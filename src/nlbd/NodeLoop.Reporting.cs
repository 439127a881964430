using System.Globalization;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Convergence;
using OpenNlb.Core.DataPlane;
using OpenNlb.Core.Membership;
using OpenNlb.Core.Metrics;
using OpenNlb.Core.Status;

namespace OpenNlb.Daemon;

/// <summary>What the loop tells the operator: log lines on changes, the status file, query answers.</summary>
internal sealed partial class NodeLoop
{
    private IReadOnlyList<int> _lastView = [];
    private DisplayState? _lastDisplay;
    private ulong _lastEpoch;
    private long _lastConvergences;
    private long _lastTakeovers;
    private long _lastReleasesOfEverything;

    /// <summary>Convergences of the nodes replaced by cluster-section switches: the count never goes back.</summary>
    private long _convergencesBefore;
    private long? _changeSeenMs;
    private double? _lastConvergenceMs;
    private long _statusWrittenMs = long.MinValue / 4;
    private readonly Dictionary<(int, Observation), long> _warned = [];

    /// <summary>Logs joins, leaves, adoptions, convergence and state changes, by comparing with the last step.</summary>
    private void Observe(long now)
    {
        var view = node.View(now);
        foreach (var joined in view.Except(_lastView).Where(p => p != config.Host.Priority))
        {
            Log.PeerJoined(log, joined);
            NoteJoined(joined);
        }

        foreach (var left in _lastView.Except(view).Where(p => p != config.Host.Priority))
        {
            Log.PeerLeft(log, left);
            NoteLeft(left, now);
        }

        if (node.ReleasesOfEverything != _lastReleasesOfEverything)
        {
            counters.Add(EventCounterNames.ReleasesOfEverything, node.ReleasesOfEverything - _lastReleasesOfEverything);
            _lastReleasesOfEverything = node.ReleasesOfEverything;
            Log.ReleasedEverything(log, node.LastReleaseOfEverything ?? string.Empty);
        }

        if (node.Takeovers != _lastTakeovers)
        {
            _lastTakeovers = node.Takeovers;
            NoteTakeover(now);
        }

        if (!view.SequenceEqual(_lastView) || node.Adopted.Epoch != _lastEpoch)
        {
            _changeSeenMs ??= now;
        }

        if (node.Adopted.Epoch != _lastEpoch)
        {
            Log.Adopted(log, node.Adopted.Counter, node.Adopted.Issuer, string.Join(' ', node.Adopted.Members.Select(m => m.Priority)));
        }

        // Converged once the kernel takes what the node claimed: claims are written a step per
        // turn of the loop, after the heartbeat, and a host that said "converged" before its
        // kernel did dropped traffic sent on the strength of it (seen in the end-to-end tests).
        var served = kernel.Serves(node.Ownership);
        if (node.Convergences != _lastConvergences && served)
        {
            // Timed to now, not to the turn's start: a change seen and claimed within one turn
            // (a failover with an early claim) took the turn's kernel steps, not 0 ms.
            var servedAt = Math.Max(now, NowMs);
            _lastConvergenceMs = _changeSeenMs is { } seen ? servedAt - seen : null;
            _changeSeenMs = null;
            Log.Converged(log, string.Join(' ', node.Adopted.Members.Select(m => m.Priority)), node.Map?.DefaultHost, Describe(node.Ownership), _lastConvergenceMs ?? 0);
            NoteConverged(servedAt, _lastConvergenceMs);
        }

        var display = DisplayNow(now, served);
        if (display != _lastDisplay)
        {
            Log.StateChanged(log, Name(display), node.KeptOutReason is { } why ? " " + why : string.Empty);
            WriteStatus(now);
        }

        (_lastView, _lastDisplay, _lastEpoch) = (view, display, node.Adopted.Epoch);
        if (served)
        {
            _lastConvergences = node.Convergences;
        }
        RememberMembers();
    }

    private void WarnOnce(int priority, Observation outcome, long now)
    {
        // Once every 10 s per host and kind, not once per heartbeat.
        if (_warned.TryGetValue((priority, outcome), out var at) && now - at < 10_000)
        {
            return;
        }

        _warned[(priority, outcome)] = now;
        var peer = node.Peers(now).FirstOrDefault(p => p.Priority == priority && p.KeptOut is not null);
        if (outcome == Observation.DuplicatePriority)
        {
            Log.DuplicatePriority(log, priority, peer?.KeptOut ?? node.KeptOutReason ?? "two hosts use this priority");
        }
        else
        {
            Log.PeerExcluded(log, priority, peer?.KeptOut ?? "configuration differs");
        }
    }

    private void WriteStatusAtMostEvery(long now, long intervalMs)
    {
        if (now - _statusWrittenMs >= intervalMs)
        {
            WriteStatus(now);
        }
    }

    private void WriteStatus(long now)
    {
        _statusWrittenMs = now;
        try
        {
            status.Write(Snapshot(now));
        }
        catch (IOException)
        {
            // The status file is informational; the cluster must not stop over a full disk.
        }
    }

    private HostStatus Snapshot(long now)
    {
        var own = node.Ownership;
        var rules = config.Cluster.PortRules;
        return new HostStatus
        {
            HostPriority = config.Host.Priority,
            ProcessId = Environment.ProcessId,
            State = Name(DisplayNow(now)),
            Reason = node.KeptOutReason,
            LiveHosts = node.View(now),
            Members = node.Adopted.Members.Select(m => m.Priority).ToList(),
            Epoch = node.Adopted.Epoch,
            DefaultHost = node.Map is { DefaultHost: > 0 } map ? map.DefaultHost : null,
            BucketsOwned = rules.Select((r, i) => (r.Name, Count: r.Filtering == FilteringMode.Single
                    ? (own.Rules[i].HandlesSingle ? 1 : 0) : own.Rules[i].Buckets.Count))
                .ToDictionary(x => x.Name, x => x.Count, StringComparer.Ordinal),
            BucketsKept = rules.Select((r, i) => (r.Name, Count: r.Filtering == FilteringMode.Single
                    ? (own.Rules[i].KeepsSingle ? 1 : 0) : own.Rules[i].KeptBuckets.Count))
                .ToDictionary(x => x.Name, x => x.Count, StringComparer.Ordinal),
            Rules = rules.Select((r, i) => new RuleStatus(
                r.Name,
                node.Rules[i].State.ToString().ToLowerInvariant(),
                node.Rules[i].LoadWeight,
                node.Rules[i].HandlingPriority,
                r.Filtering.ToString().ToLowerInvariant())).ToList(),
            Peers = node.Peers(now).Select(p => new PeerStatus(
                p.Priority, p.State.ToString().ToLowerInvariant(), p.Live, p.Participant, p.KeptOut, p.AdoptedEpoch, p.SilentForMs)).ToList(),
            Convergences = _convergencesBefore + node.Convergences,
            LastConvergenceMs = _lastConvergenceMs,
            LastFailoverMs = _lastFailoverMs,
            Staged = StagedNow(now),
            Counters = counters.Snapshot(),
            UpdatedAt = time.GetUtcNow(),
        };
    }

    /// <summary>A new node took over (a cluster-section switch): its counters start again, the loop's do not.</summary>
    private void ForgetNode(ConvergenceNode before)
    {
        _convergencesBefore += before.Convergences;
        (_lastConvergences, _lastTakeovers, _lastReleasesOfEverything) = (0, 0, 0);
        _lastView = [];
        _adoptedMembers = [];
        _adoptedMembersEpoch = ulong.MaxValue;
    }

    /// <summary>The node's state, but converging while the kernel has claims left to write.</summary>
    /// <param name="served">Whether the kernel serves the node's ownership, if the caller has just asked (<see cref="KernelDataPlane.Serves"/>).</param>
    private DisplayState DisplayNow(long now, bool? served = null)
    {
        var state = node.Display(now);
        return state is DisplayState.Converged or DisplayState.ConvergedDefault && !(served ?? kernel.Serves(node.Ownership))
            ? DisplayState.Converging
            : state;
    }

    internal static string Name(DisplayState state) => state switch
    {
        DisplayState.ConvergedDefault => "converged-default",
        DisplayState.DuplicatePriority => "duplicate-priority",
        _ => state.ToString().ToLowerInvariant(),
    };

    private string Describe(Ownership own) => string.Join(
        ", ",
        config.Cluster.PortRules.Select((r, i) => r.Filtering switch
        {
            FilteringMode.Multiple => string.Create(CultureInfo.InvariantCulture, $"{r.Name}: {own.Rules[i].Buckets.Count} owned, {own.Rules[i].KeptBuckets.Count} kept"),
            FilteringMode.Single => $"{r.Name}: {(own.Rules[i].HandlesSingle ? "handling" : own.Rules[i].KeepsSingle ? "kept" : "not handling")}",
            _ => $"{r.Name}: disabled",
        }).Append(own.IsDefaultHost ? "default host" : own.KeepsDefault ? "default kept" : "not default host"));
}
