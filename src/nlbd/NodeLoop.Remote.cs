using System.Globalization;
using OpenNlb.Core.Control;
using OpenNlb.Core.Convergence;

namespace OpenNlb.Daemon;

/// <summary>
/// Remote control (docs/control.md): a command for another host, or for every host, travels as an
/// authenticated datagram on the cluster network; the target runs it only if its configuration
/// allows remote control, and answers. Requests are resent until answered or 2 s have passed; a
/// target answers a resent request from its cache instead of running it twice.
/// </summary>
internal sealed partial class NodeLoop
{
    /// <summary>A request older or newer than this by the target's clock is refused: a recording does not live long.</summary>
    private const long MaxClockSkewMs = 30_000;

    private const int ResendEveryMs = 250;
    private const int GiveUpAfterMs = 2_000;
    private const int AnsweredKept = 64;

    private readonly Dictionary<uint, PendingRemote> _pending = [];
    private readonly Dictionary<(int Host, ulong Incarnation, uint Id), RemoteReply> _answered = [];
    private readonly Queue<(int Host, ulong Incarnation, uint Id)> _answeredOrder = new();
    private uint _lastRequestId;

    /// <summary>Runs a query, reload or node command on host <c>request.Node</c>, or on every host for <c>request.Cluster</c>.</summary>
    public Task<ControlResponse> ExecuteRemoteAsync(ControlCall call)
    {
        var done = new TaskCompletionSource<ControlResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_events.Writer.TryWrite(() => StartRemote(call, done)))
        {
            done.SetResult(ControlResponse.Failed("nlbd is stopping"));
        }

        return done.Task;
    }

    private void StartRemote(ControlCall request, TaskCompletionSource<ControlResponse> done)
    {
        var now = JudgeMs;
        var me = wire.Self.Priority;
        var (kind, rule, number) = request.Command switch
        {
            ControlCall.Query => (RemoteCommandKind.Query, null, null),
            ControlCall.Reload => (RemoteCommandKind.Reload, null, null),
            _ => RemoteRequest.Of(request.HostCommand!),
        };

        var live = node.Peers(now).Where(p => p.Live).Select(p => p.Priority).Distinct().ToHashSet();
        var pending = new PendingRemote(done, request.Node is { } n && n != me ? [n] : request.Cluster ? [.. live] : []);
        if (request.Cluster || request.Node == me)
        {
            var local = RunLocally(kind, rule, number, now, from: null);
            pending.Results[me] = Answered(me, local.Ok, local.Message, DisplayNow(now));
        }

        if (request.Cluster)
        {
            // Every live host is asked; one heard before and silent now is named, not left out.
            foreach (var silent in node.Peers(now).Where(p => !p.Live && !live.Contains(p.Priority)).GroupBy(p => p.Priority))
            {
                pending.Results[silent.Key] = Unanswered(silent.Key, string.Create(
                    CultureInfo.InvariantCulture, $"host {silent.Key} is not heard (silent for {silent.Min(p => p.SilentForMs)} ms): not asked"));
            }
        }

        if (request.Node is { } target && target != me && !live.Contains(target))
        {
            pending.Results[target] = Unanswered(target, string.Create(CultureInfo.InvariantCulture, $"host {target} is not heard on the cluster network"));
            pending.Expected.Clear();
        }

        if (pending.Expected.Count == 0)
        {
            Finish(pending, now);
            return;
        }

        var id = ++_lastRequestId;
        pending.Request = new RemoteRequest(
            wire.Self.ClusterId, me, wire.Self.Incarnation, 0, id, request.Node ?? 0, kind, rule, number,
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        _pending[id] = pending;
        SendRequest(pending);
        counters.Add("remote_requests_sent");
        _ = FollowUpAsync(id);
    }

    /// <summary>Resends to whoever has not answered, then gives up on them.</summary>
    private async Task FollowUpAsync(uint id)
    {
        for (var waited = 0; waited < GiveUpAfterMs; waited += ResendEveryMs)
        {
            await Task.Delay(ResendEveryMs);
            var last = waited + ResendEveryMs >= GiveUpAfterMs;
            _events.Writer.TryWrite(() =>
            {
                if (!_pending.TryGetValue(id, out var pending))
                {
                    return;
                }

                if (last)
                {
                    foreach (var host in pending.Expected.Where(h => !pending.Results.ContainsKey(h)))
                    {
                        pending.Results[host] = Unanswered(host, string.Create(CultureInfo.InvariantCulture, $"no answer from host {host} within {GiveUpAfterMs / 1000} s"));
                    }

                    _pending.Remove(id);
                    Finish(pending, JudgeMs);
                }
                else
                {
                    SendRequest(pending);
                }
            });
        }
    }

    private void SendRequest(PendingRemote pending)
    {
        lock (_sendLock)
        {
            Send(wire.Encode(pending.Request! with { Sequence = ++_sequence }));
        }
    }

    private void OnRemoteReply(RemoteReply reply)
    {
        counters.Add("remote_replies_received");
        if (reply.Requester != wire.Self.Priority || !_pending.TryGetValue(reply.RequestId, out var pending)
            || !pending.Expected.Contains(reply.HostPriority))
        {
            return;
        }

        pending.Results[reply.HostPriority] = Answered(reply.HostPriority, reply.Ok, reply.Message, reply.State);
        if (pending.Expected.All(pending.Results.ContainsKey))
        {
            _pending.Remove(reply.RequestId);
            Finish(pending, JudgeMs);
        }
    }

    private void OnRemoteRequest(RemoteRequest request)
    {
        var me = wire.Self.Priority;
        if (request.Target != 0 && request.Target != me)
        {
            return;
        }

        counters.Add("remote_requests_received");
        var key = (request.HostPriority, request.Incarnation, request.RequestId);
        if (!_answered.TryGetValue(key, out var reply))
        {
            var now = JudgeMs;
            var outcome = Judge(request) ?? RunLocally(request.Kind, request.Rule, request.Number, now, from: request.HostPriority);
            if (!outcome.Ok)
            {
                counters.Add("remote_requests_refused");
            }

            reply = new RemoteReply(wire.Self.ClusterId, me, wire.Self.Incarnation, 0, request.RequestId, request.HostPriority, outcome.Ok, DisplayNow(now), outcome.Message);
            _answered[key] = reply;
            _answeredOrder.Enqueue(key);
            if (_answeredOrder.Count > AnsweredKept)
            {
                _answered.Remove(_answeredOrder.Dequeue());
            }
        }

        lock (_sendLock)
        {
            Send(wire.Encode(reply with { Sequence = ++_sequence }));
        }
    }

    /// <summary>Why this host refuses a remote request, before running anything; null when it may run.</summary>
    private CommandOutcome? Judge(RemoteRequest request)
    {
        var me = wire.Self.Priority;
        if (!Current.Host.RemoteControl)
        {
            Log.RemoteRefused(log, request.HostPriority, "remote control is off");
            return CommandOutcome.Refused(string.Create(
                CultureInfo.InvariantCulture,
                $"remote control is off on host {me}: set host.remoteControl: true in its configuration and run nlb reload there"));
        }

        var skew = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - request.IssuedUnixMs;
        if (Math.Abs(skew) > MaxClockSkewMs)
        {
            Log.RemoteRefused(log, request.HostPriority, "clock skew");
            return CommandOutcome.Refused(string.Create(
                CultureInfo.InvariantCulture,
                $"the request was issued {skew / 1000.0:0.0} s from host {me}'s clock (at most {MaxClockSkewMs / 1000} s apart are accepted); check the clocks (NTP)"));
        }

        return null;
    }

    /// <summary>Runs a query, a reload or a node command here; <paramref name="from"/> names the requesting host, if remote.</summary>
    private CommandOutcome RunLocally(RemoteCommandKind kind, string? rule, int? number, long now, int? from)
    {
        CommandOutcome outcome;
        if (kind == RemoteCommandKind.Query)
        {
            var owned = node.Ownership.Rules.Sum(r => r.Buckets.Count);
            outcome = CommandOutcome.Done(string.Create(
                CultureInfo.InvariantCulture,
                $"members [{string.Join(' ', node.View(now))}], {owned} buckets owned, epoch {node.Adopted.Counter}/{node.Adopted.Issuer}"));
        }
        else if (kind == RemoteCommandKind.Reload)
        {
            outcome = ReloadNow(now);
        }
        else
        {
            outcome = node.Execute(RemoteRequest.CommandOf(kind, rule, number)!, now);
            Effects(now);
        }

        if (outcome.Ok && kind != RemoteCommandKind.Query)
        {
            Log.CommandDone(log, from is { } host ? $"{kind} (from host {host})" : kind.ToString(), outcome.Message);
        }

        return outcome;
    }

    private static HostResult Answered(int host, bool ok, string message, DisplayState state) => new()
    {
        Host = host,
        Ok = ok,
        State = Name(state),
        Message = ok ? message : null,
        Error = ok ? null : message,
    };

    private static HostResult Unanswered(int host, string error) => new() { Host = host, Ok = false, Error = error };

    private void Finish(PendingRemote pending, long now)
    {
        var results = pending.Results.Values.OrderBy(r => r.Host).ToList();
        var failed = results.Count(r => !r.Ok);
        pending.Done.TrySetResult(new ControlResponse
        {
            SchemaVersion = ControlResponse.CurrentSchemaVersion,
            Ok = failed == 0,
            Message = failed > 0 ? null : results.Count == 1 ? results[0].Message : string.Create(CultureInfo.InvariantCulture, $"done on {results.Count} hosts"),
            Error = failed == 0 ? null : results.Count == 1 ? results[0].Error : string.Create(CultureInfo.InvariantCulture, $"failed on {failed} of {results.Count} hosts"),
            Hosts = results,
            Status = Snapshot(now),
        });
    }

    private sealed class PendingRemote(TaskCompletionSource<ControlResponse> done, HashSet<int> expected)
    {
        public TaskCompletionSource<ControlResponse> Done { get; } = done;

        public HashSet<int> Expected { get; } = expected;

        public Dictionary<int, HostResult> Results { get; } = [];

        public RemoteRequest? Request { get; set; }
    }
}
