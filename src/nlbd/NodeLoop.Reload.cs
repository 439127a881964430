using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Convergence;

namespace OpenNlb.Daemon;

/// <summary><c>nlb reload</c>: this host's configuration file read again and applied without a restart.</summary>
internal sealed partial class NodeLoop
{
    private NlbConfig? _reloaded;
    private ConfigSource? _reloadedSource;

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
            return CommandOutcome.Refused($"{errors.Count} error(s), nothing changed: " + string.Join("; ", errors));
        }

        var plan = ReloadPlan.Between(Current, loaded);
        if (!plan.CanApply)
        {
            Log.ReloadRefused(log, plan.Refusals.Count, string.Join("; ", plan.Refusals));
            return CommandOutcome.Refused($"{plan.Refusals.Count} change(s) cannot be applied live, nothing changed: " + string.Join("; ", plan.Refusals));
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
        return CommandOutcome.Done($"reloaded {path}: {summary}");
    }
}
