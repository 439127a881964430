using System.Globalization;
using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Convergence;
using OpenNlb.Core.DataPlane;
using OpenNlb.Core.Status;

namespace OpenNlb.Daemon;

/// <summary>
/// <c>nlb reload</c>: this host's configuration file read again and applied without a restart.
/// Host settings apply at once; a changed cluster section is staged and switched to when every
/// live host has staged it (docs/control.md, "Changing the cluster section").
/// </summary>
internal sealed partial class NodeLoop
{
    private NlbConfig? _reloaded;
    private ConfigSource? _reloadedSource;

    /// <summary>A cluster section read by reload, waiting for every host: the whole file, where it came from, and what it changes.</summary>
    private (NlbConfig Config, ConfigSource Source, IReadOnlyList<string> Changes)? _staged;

    /// <summary>How long the watchdog covers the switch's one transaction; longer, and the others take over.</summary>
    private const long SwitchCoverMs = 5000;

    /// <summary>After a failed switch, when to try again.</summary>
    private long _switchRetryMs;

    /// <summary>Bumped at each switch: work started for the previous node and kernel is dropped when it comes back.</summary>
    private int _generation;

    /// <summary>The data plane now: the one nlbd started with, or the one a switch of the cluster section made.</summary>
    public KernelDataPlane Kernel => kernel;

    /// <summary>What the data plane is rendered from now.</summary>
    public required DataPlaneSpec Spec { get; set; }

    /// <summary>The file read last: the one nlbd started with (<see cref="Source"/>) or the last reload's.</summary>
    private ConfigSource? CurrentSource => _reloadedSource ?? Source;

    /// <summary>The configuration in effect: the one nlbd started with, or the last one reloaded.</summary>
    private NlbConfig Current => _reloaded ?? config;

    /// <summary>
    /// Reads the file, and applies it only if it is valid and every change can be made live: an
    /// invalid file, or one that changes what needs a restart, is refused with every reason and
    /// the running configuration is kept whole. Runs on the loop.
    /// </summary>
    private CommandOutcome ReloadNow(long now)
    {
        if (Source?.Path is not { } path)
        {
            return CommandOutcome.Refused("nlbd was started without a configuration file to read again");
        }

        var (loaded, errors, sha256) = ConfigFile.Read(path);
        if (loaded is null)
        {
            Log.ReloadRefused(log, errors.Count, string.Join("; ", errors));
            return CommandOutcome.Refused($"{errors.Count} error(s), nothing changed:" + Lines(errors));
        }

        var plan = ReloadPlan.Between(Current, loaded);
        if (!plan.CanApply)
        {
            Log.ReloadRefused(log, plan.Refusals.Count, string.Join("; ", plan.Refusals));
            return CommandOutcome.Refused($"{plan.Refusals.Count} change(s) cannot be applied live, nothing changed:" + Lines(plan.Refusals));
        }

        if (plan.SwitchesCluster)
        {
            return Stage(loaded, new ConfigSource(path, sha256), plan, now);
        }

        var withdrawn = string.Empty;
        if (_staged is not null)
        {
            // The file has the running cluster section again: the operator took the change back.
            withdrawn = string.Create(CultureInfo.InvariantCulture, $"staged cluster section {node.Staged:x16} withdrawn, the running one kept; ");
            Unstage("the file has the running cluster section again");
        }

        var outcome = node.Reconfigure(HostRules.Of(loaded), now);
        if (!outcome.Ok)
        {
            return outcome;
        }

        _reloaded = loaded;
        _reloadedSource = new ConfigSource(path, sha256);
        _params = null;
        Effects(now);
        var summary = plan.Changes.Count == 0 ? "no change" : string.Join("; ", plan.Changes);
        Log.Reloaded(log, path, summary);
        return CommandOutcome.Done($"{withdrawn}reloaded {path}: {summary}");
    }

    /// <summary>
    /// Holds the new file until every live host has staged the same cluster section; its host
    /// settings wait with it. Advertised in each heartbeat from now on.
    /// </summary>
    private CommandOutcome Stage(NlbConfig loaded, ConfigSource source, ReloadPlan plan, long now)
    {
        var fingerprint = ConfigFingerprint.Of(loaded.Cluster);
        var changes = plan.ClusterChanges.Concat(plan.Changes).ToList();
        _staged = (loaded, source, changes);
        node.Stage(fingerprint);
        var waiting = node.StagePending(now);
        var hex = fingerprint.ToString("x16", CultureInfo.InvariantCulture);
        Log.ClusterStaged(log, source.Path, hex, string.Join("; ", changes), Waiting(waiting));
        var message = $"staged {source.Path} (cluster fingerprint {hex}): {string.Join("; ", changes)}; "
            + (waiting.Count == 0
                ? "every live host has it: switching now"
                : $"this host switches when every live host has staged it; waiting for {Waiting(waiting)}");
        return CommandOutcome.Done(message);
    }

    private void Unstage(string why)
    {
        _staged = null;
        node.Stage(0);
        Log.ClusterUnstaged(log, why);
    }

    /// <summary>One problem per line, as `nlb check` prints them (the log keeps them on one).</summary>
    private static string Lines(IEnumerable<string> problems) => string.Concat(problems.Select(p => "\n  " + p));

    private static string Waiting(IReadOnlyList<int> hosts) =>
        hosts.Count == 0 ? "no host" : "host(s) " + string.Join(", ", hosts);

    private StagedStatus? StagedNow(long now) => _staged is { } staged
        ? new StagedStatus(node.Staged.ToString("x16", CultureInfo.InvariantCulture), staged.Changes, node.StagePending(now))
        : null;

    /// <summary>
    /// Switches to the staged cluster section once every live host has it. Like a restart without
    /// the restart: the new ruleset replaces the old in one transaction keeping what this host
    /// served (<see cref="ClusterSwitch.Kept"/>), so every flow goes on, and a new node takes part
    /// afresh, claiming its share of the new map after every host's hand-over. New flows wait
    /// meanwhile.
    /// </summary>
    private void SwitchIfDue(long now)
    {
        if (_staged is not { } staged || now < _switchRetryMs || !node.SwitchDue(now))
        {
            return;
        }

        var loaded = staged.Config;
        var spec = Program.Spec(loaded);
        var self = wire.Self with { Fingerprint = ConfigFingerprint.Of(loaded.Cluster), RuleCount = loaded.Cluster.PortRules.Count };
        var settings = ClusterSwitch.Settings(node, Current.Cluster.PortRules, loaded, self) with
        {
            // Asked before the transaction: after it, the old node's records of hosts that
            // switched first are a second or two old, and it would count none of them.
            AwaitPeers = node.View(now).Where(p => p != wire.Self.Priority).ToHashSet(),
        };
        var nextKernel = new KernelDataPlane(spec);

        // One transaction of the whole ruleset, with every bucket of a changed rule kept: seen to
        // take 1-2 s with three hosts switching at once on two busy cores. The watchdog covers it
        // with the last heartbeat, which stays true, since the switch only narrows what this host
        // takes; without the cover the others would call this host dead and take its buckets
        // while it still keeps its flows.
        _watchdog?.LoopStartsLongStep(NowMs, SwitchCoverMs);
        try
        {
            nextKernel.Install(new ConvergenceNode(settings, now).Ownership);
        }
        catch (Exception e)
        {
            nextKernel.Dispose();
            _switchRetryMs = now + 1000;
            Log.ClusterSwitchFailed(log, e.Message);
            return;
        }

        // The node starts listening only now: started before a transaction of a second or two, it
        // would have listened to nothing, found itself alone and claimed every bucket.
        now = Math.Max(now, JudgeMs);
        var next = new ConvergenceNode(
            settings with { AwaitUntilMs = now + SwitchCoverMs },
            now);
        var (before, replaced) = (node, kernel);
        lock (_sendLock)
        {
            // The watchdog must not re-send a heartbeat of the old section.
            wire.Self = self;
            _lastHeartbeat = null;
            kernel = nextKernel;
            node = next;
        }

        // The loop disposes the kernel it replaces; Program, the one current at the end.
        replaced.Dispose();

        ForgetNode(before);
        if (ClusterSwitch.AfterSwitch(before, now) is { } drain)
        {
            node.Execute(drain, now);
        }

        Spec = spec;
        inventory = new FlowInventory(spec);
        Facts = Facts is null ? null : new FlowFactsReader(spec);
        config = loaded;
        _reloaded = null;
        _reloadedSource = staged.Source;
        _params = null;
        _staged = null;
        _generation++;
        (_collecting, _scanning, _kernelBehind, _kernelPending, _nextScanMs) = (null, false, false, false, now + 1000);
        Log.ClusterSwitched(log, self.Fingerprint.ToString("x16", CultureInfo.InvariantCulture), loaded.Cluster.PortRules.Count, Describe(node.Ownership));
        Log.Reloaded(log, staged.Source.Path, string.Join("; ", staged.Changes));
    }
}
