using OpenNlb.Core.Control;
using OpenNlb.Core.Query;

namespace OpenNlb.Daemon;

/// <summary>
/// The questions of the control socket, which change nothing: query, display, params and owner.
/// What the node knows is read on the loop, like a command; the kernel's sets and conntrack, for
/// owner, are read after, off the loop, so that a slow conntrack listing never delays a heartbeat.
/// </summary>
internal sealed partial class NodeLoop
{
    private ParamsReport? _params;

    /// <summary>The file the configuration came from, for params and display.</summary>
    public ConfigSource? Source { get; init; }

    /// <summary>The last events logged, for display; none when not given.</summary>
    public RecentEvents? Recent { get; init; }

    /// <summary>What owner reads from the kernel; without it, owner answers from the map alone.</summary>
    public FlowFactsReader? Facts { get; set; }

    private ParamsReport Params => _params ??= ParamsReport.Of(Current, CurrentSource?.Path, CurrentSource?.Sha256);

    private Task<ControlResponse> AnswerAsync(ControlCall call)
    {
        var done = new TaskCompletionSource<ControlResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = JudgeMs;
        var posted = _events.Writer.TryWrite(() =>
        {
            switch (call.Command)
            {
                case ControlCall.Params:
                    done.SetResult(Ok() with { Params = Params });
                    break;
                case ControlCall.Display:
                    done.SetResult(Ok() with { Params = Params, Status = Snapshot(arrived), Events = Recent?.Snapshot() ?? [] });
                    break;
                case ControlCall.Owner when call.Flow is { } flow:
                    var view = new HostView(
                        Current.Host.Priority,
                        Name(DisplayNow(arrived)),
                        node.Adopted.Epoch,
                        node.Adopted.Members.Select(m => m.Priority).ToList(),
                        node.Map,
                        node.Ownership,
                        node.Rules.Select(r => r.State).ToList());
                    _ = Task.Run(() => OwnerAsync(view, flow.For(Current.Cluster), done));
                    break;
                default:
                    done.SetResult(Ok() with { Status = Snapshot(arrived) });
                    break;
            }
        });
        if (!posted)
        {
            done.SetResult(ControlResponse.Failed("nlbd is stopping"));
        }

        return done.Task;
    }

    private async Task OwnerAsync(HostView view, FlowQuery flow, TaskCompletionSource<ControlResponse> done)
    {
        var facts = FlowFacts.None;
        string? problem = null;
        try
        {
            if (Facts is not null && Current.Cluster.Vips.Contains(flow.Vip))
            {
                using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                facts = await Facts.ReadAsync(flow, limit.Token);
            }
        }
        catch (Exception e)
        {
            // The map's answer stands on its own; say what could not be read rather than fail.
            problem = "the kernel's flow sets and conntrack could not be read: " + e.Message;
        }

        done.SetResult(Ok() with { Owner = OwnerExplainer.Live(Current.Cluster, view, flow, facts), Message = problem });
    }

    private static ControlResponse Ok() => new() { SchemaVersion = ControlResponse.CurrentSchemaVersion, Ok = true };
}

/// <summary>Where the configuration in effect was read from, and the SHA-256 (hex) of the file as read.</summary>
internal sealed record ConfigSource(string Path, string Sha256);
