using System.Globalization;
using OpenNlb.Core.Allocation;
using OpenNlb.Core.Control;
using OpenNlb.Core.Membership;

namespace OpenNlb.Core.Convergence;

/// <summary>NLB's operations, with NLB's meanings (docs/convergence.md, "Operations").</summary>
public sealed partial class ConvergenceNode
{
    public CommandOutcome Execute(HostCommand command, long nowMs)
    {
        nowMs = Clock(nowMs);
        var outcome = command.Kind switch
        {
            HostCommandKind.Resume => Resume(),
            _ when _state == MemberState.Suspended => CommandOutcome.Refused("the host is suspended: resume it first"),
            HostCommandKind.Start => Start(nowMs),
            HostCommandKind.Stop => Stop(),
            HostCommandKind.DrainStop => DrainStop(command.Timeout, nowMs),
            HostCommandKind.Suspend => Suspend(),
            HostCommandKind.Enable or HostCommandKind.Disable or HostCommandKind.Drain or HostCommandKind.SetWeight => RuleCommand(command),
            _ => CommandOutcome.Refused($"unknown command {command.Kind}"),
        };
        if (outcome.Ok)
        {
            _sendNow = true;
            _shareDirty = true;
            Update(nowMs);
        }

        return outcome;
    }

    /// <summary>
    /// A reloaded configuration's load weights and handling priorities, in rule order; each rule's
    /// state (enabled, disabled, draining) stays what the commands made it. Like a weight change:
    /// what leaves the share is released at once, the rest waits for the next map.
    /// </summary>
    public CommandOutcome Reconfigure(IReadOnlyList<MemberRule> configured, long nowMs)
    {
        ArgumentNullException.ThrowIfNull(configured);
        nowMs = Clock(nowMs);
        if (configured.Count != _rules.Length)
        {
            return CommandOutcome.Refused(string.Create(CultureInfo.InvariantCulture, $"{configured.Count} rules given, the cluster has {_rules.Length}"));
        }

        var changed = 0;
        for (var i = 0; i < _rules.Length; i++)
        {
            var next = _rules[i] with { LoadWeight = configured[i].LoadWeight, HandlingPriority = configured[i].HandlingPriority };
            if (next != _rules[i])
            {
                _rules[i] = next;
                changed++;
            }
        }

        if (changed > 0)
        {
            _share.Release(CurrentShare());
            _claimDirty = true;
            _sendNow = true;
            _shareDirty = true;
            Update(nowMs);
        }

        return CommandOutcome.Done(string.Create(CultureInfo.InvariantCulture, $"{changed} port rule settings changed"));
    }

    private CommandOutcome Start(long nowMs)
    {
        if (_state == MemberState.Started)
        {
            return CommandOutcome.Done("already started");
        }

        // A host that was stopped has been listening all along: it knows the epoch, no need to wait.
        _state = MemberState.Started;
        _drainDeadline = null;
        _listenUntil = Math.Min(_listenUntil, nowMs);
        _claimDirty = true;
        return CommandOutcome.Done("started");
    }

    private CommandOutcome Stop()
    {
        if (_state == MemberState.Stopped)
        {
            return CommandOutcome.Done("already stopped");
        }

        StopNow();
        return CommandOutcome.Done("stopped: the host accepts nothing, its connections are dropped");
    }

    private CommandOutcome DrainStop(TimeSpan? timeout, long nowMs)
    {
        if (_state == MemberState.Stopped)
        {
            return CommandOutcome.Done("already stopped");
        }

        _state = MemberState.Draining;
        _drainDeadline = timeout is { } t ? nowMs + (long)t.TotalMilliseconds : null;
        _share.Release(Share.Nothing(_rules.Length));
        return CommandOutcome.Done(timeout is { } limit
            ? string.Create(CultureInfo.InvariantCulture, $"draining: no new flows; stops when its flows end or in {limit.TotalSeconds:0} s")
            : "draining: no new flows; stops when its flows end");
    }

    private CommandOutcome Suspend()
    {
        StopNow();
        _state = MemberState.Suspended;
        return CommandOutcome.Done("suspended: stopped, and start, stop and drainstop are refused until resume");
    }

    private CommandOutcome Resume()
    {
        if (_state != MemberState.Suspended)
        {
            return CommandOutcome.Refused("the host is not suspended");
        }

        _state = MemberState.Stopped;
        return CommandOutcome.Done("resumed: the host is stopped; start it to take traffic");
    }

    private CommandOutcome RuleCommand(HostCommand command)
    {
        var rules = _settings.Cluster.PortRules;
        var (targets, error) = RuleSelector.Resolve(_settings.Cluster, command.Rule);
        if (error is not null)
        {
            return CommandOutcome.Refused(error);
        }

        if (command.Kind == HostCommandKind.SetWeight && command.Weight is not (>= 0 and <= MemberRule.MaxLoadWeight))
        {
            return CommandOutcome.Refused(string.Create(CultureInfo.InvariantCulture, $"load weight {command.Weight} is outside 0..100"));
        }

        foreach (var i in targets)
        {
            _rules[i] = command.Kind switch
            {
                HostCommandKind.Enable => _rules[i] with { State = RuleState.Enabled },
                HostCommandKind.Disable => _rules[i] with { State = RuleState.Disabled },
                HostCommandKind.Drain => _rules[i] with { State = RuleState.Draining },
                _ => _rules[i] with { LoadWeight = command.Weight },
            };
            if (command.Kind == HostCommandKind.Disable)
            {
                _share.DropAll(i);
            }
        }

        // Narrowing takes effect at once (release is always safe); widening waits for the next map.
        _share.Release(CurrentShare());
        _claimDirty = true;
        var names = string.Join(", ", targets.Select(i => rules[i].Name));
        return CommandOutcome.Done(command.Kind switch
        {
            HostCommandKind.Enable => $"enabled {names}",
            HostCommandKind.Disable => $"disabled {names}: its flows on this host are dropped",
            HostCommandKind.Drain => $"draining {names}: no new flows, existing ones kept",
            _ => string.Create(CultureInfo.InvariantCulture, $"load weight of {names} set to {command.Weight}"),
        });
    }
}
