using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Convergence;

namespace OpenNlb.Daemon;

/// <summary><c>nlb reload</c>: this host's configuration file read again and applied without a restart.</summary>
internal sealed partial class NodeLoop
{
    private NlbConfig? _reloaded;

    /// <summary>The file <c>nlb reload</c> reads; null when nlbd was started without one (tests).</summary>
    public string? ConfigPath { get; init; }

    /// <summary>The configuration in effect: the one nlbd started with, or the last one reloaded.</summary>
    private NlbConfig Current => _reloaded ?? config;

    /// <summary>
    /// Reads the file, and applies it only if it is valid and every change can be made live: an
    /// invalid file, or one that changes what needs a restart, is refused with every reason and
    /// the running configuration is kept whole. Runs on the loop.
    /// </summary>
    private CommandOutcome ReloadNow(long now)
    {
        if (ConfigPath is null)
        {
            return CommandOutcome.Refused("nlbd was started without a configuration file to read again");
        }

        var (loaded, errors) = ConfigFile.Read(ConfigPath);
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
        Effects(now);
        var summary = plan.Changes.Count == 0 ? "no change" : string.Join("; ", plan.Changes);
        Log.Reloaded(log, ConfigPath, summary);
        return CommandOutcome.Done($"reloaded {ConfigPath}: {summary}");
    }
}
