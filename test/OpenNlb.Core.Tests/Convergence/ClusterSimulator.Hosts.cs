using System.Net;
using OpenNlb.Core.Allocation;
using OpenNlb.Core.Convergence;
using OpenNlb.Core.DataPlane;
using OpenNlb.Core.Membership;

namespace OpenNlb.Core.Tests.Convergence;

/// <summary>The fake daemon: boots and crashes nodes, carries their datagrams, answers their requests.</summary>
internal sealed partial class ClusterSimulator
{
    private static readonly IPAddress Vip = IPAddress.Parse("192.0.2.10");
    private ulong _lastIncarnation = 1000;

    /// <summary>How long the daemon takes to list its flows for a hand-over.</summary>
    public (int Min, int Max) CollectMs { get; set; } = (0, 50);

    /// <summary>Heartbeats that left before the releases were in the kernel (<see cref="ConvergenceNode.HeartbeatMayPrecedeReleases"/>).</summary>
    public long HeartbeatsBeforeReleases { get; private set; }

    /// <summary>Chance that a kept bucket still serves something at each report (so kept buckets drain).</summary>
    public double KeptStillInUse { get; set; } = 0.7;

    /// <summary>A new machine, not yet booted.</summary>
    public SimHost AddHost(int priority, IReadOnlyList<MemberRule>? rules = null, ulong fingerprint = SimCluster.Fingerprint, string? name = null)
    {
        var host = new SimHost(Hosts.Count, priority, name ?? $"h{priority}", fingerprint, rules ?? SimCluster.DefaultRules(priority));
        Hosts.Add(host);
        return host;
    }

    /// <summary>Starts the daemon: a new node, with a larger incarnation than any before.</summary>
    public void Boot(SimHost host, MemberState initial = MemberState.Started, bool restarted = true)
    {
        host.Version++;
        host.Incarnation = ++_lastIncarnation;
        host.Sequence = 0;
        host.Collecting = null;
        (host.KernelLag, host.Served) = (null, null);
        host.PlannedWake = long.MaxValue;
        host.Node = new ConvergenceNode(
            SimCluster.Settings(host.Priority, host.Incarnation, host.ConfiguredRules, initial, restarted, host.Fingerprint, Takeover),
            Now);
        ScheduleRetain(host);
        Service(host);
    }

    /// <summary>The daemon dies silently: nothing more is sent, and what arrives is lost.</summary>
    public void Crash(SimHost host)
    {
        host.Node = null;
        host.Version++;
        host.PlannedWake = long.MaxValue;
    }

    public CommandOutcome? Execute(SimHost host, HostCommand command)
    {
        if (host.Node is not { } node)
        {
            return null;
        }

        var outcome = node.Execute(command, Now);
        Service(host);
        return outcome;
    }

    /// <summary>Does what the node asks after any input: heartbeat, hand-over collection and sending, next wake-up.</summary>
    private void Service(SimHost host)
    {
        var node = host.Node!;
        host.Version++;
        node.TakeForeign();
        if (node.HeartbeatDue(Now))
        {
            // As nlbd: the releases go into the kernel before the heartbeat, but for one they do
            // not change, which goes first; the kernel then catches up a little later, in
            // the same turn of the loop (so before any other input, and before the hand-over is
            // listed). Where the kernel was is where the node was when last served.
            host.KernelLag = node.HeartbeatMayPrecedeReleases(Now) && host.Served is { } was ? Union(was, node.Ownership) : null;
            if (host.KernelLag is not null)
            {
                HeartbeatsBeforeReleases++;
                ScheduleKernelCatchUp(host);
            }

            Send(host, node.MakeHeartbeat(++host.Sequence, Now));
        }
        else
        {
            host.KernelLag = null;
        }

        if (node.HandoverWanted is { } epoch && host.Collecting != (host.Incarnation, epoch))
        {
            host.Collecting = (host.Incarnation, epoch);
            var incarnation = host.Incarnation;
            At(Now + Random.Next(CollectMs.Min, CollectMs.Max + 1), $"{host.Name} collected hand-over e{SimCluster.Epoch(epoch)}", () =>
            {
                if (host.Node is not { } n || host.Incarnation != incarnation)
                {
                    return false;
                }

                CatchUp(host);
                var (flows, clients) = SyntheticHandover();
                n.HandoverCollected(epoch, flows, clients, Now);
                Service(host);
                return true;
            });
        }

        foreach (var chunk in node.HandoverDue(Now))
        {
            Send(host, chunk);
        }

        host.Served = node.Ownership;
        ScheduleWake(host);
    }

    /// <summary>The daemon's kernel write after a heartbeat that went first: a few to tens of milliseconds later.</summary>
    private void ScheduleKernelCatchUp(SimHost host)
    {
        var lag = host.KernelLag;
        At(Now + Random.Next(1, 40), $"{host.Name} kernel caught up", () =>
        {
            if (host.Node is null || !ReferenceEquals(host.KernelLag, lag))
            {
                return false;
            }

            CatchUp(host);
            return true;
        });
    }

    private static void CatchUp(SimHost host)
    {
        if (host.KernelLag is not null)
        {
            host.KernelLag = null;
            host.Version++;
        }
    }

    /// <summary>Everything either accepts or keeps (never both for one bucket).</summary>
    private static Ownership Union(Ownership a, Ownership b)
    {
        var rules = a.Rules.Zip(b.Rules, (x, y) =>
        {
            var owned = x.Buckets.Union(y.Buckets).Order().ToArray();
            var kept = x.KeptBuckets.Union(y.KeptBuckets).Except(owned).Order().ToArray();
            var single = x.HandlesSingle || y.HandlesSingle;
            return new RuleOwnership(owned, single, kept, !single && (x.KeepsSingle || y.KeepsSingle));
        }).ToArray();
        var isDefault = a.IsDefaultHost || b.IsDefaultHost;
        return new Ownership(rules, isDefault, !isDefault && (a.KeepsDefault || b.KeepsDefault));
    }

    private void ScheduleWake(SimHost host)
    {
        var wake = Math.Max(host.Node!.NextWakeMs(Now), Now);
        if (wake >= host.PlannedWake && host.PlannedWake >= Now)
        {
            return;
        }

        host.PlannedWake = wake;
        var incarnation = host.Incarnation;
        At(wake, $"{host.Name} tick", () =>
        {
            if (host.Node is not { } node || host.Incarnation != incarnation || host.PlannedWake != Now)
            {
                return false;
            }

            host.PlannedWake = long.MaxValue;
            node.Tick(Now);
            Service(host);
            return true;
        });
    }

    private void Send(SimHost from, object message)
    {
        Span<long> delays = stackalloc long[2];
        foreach (var to in Hosts)
        {
            if (to == from)
            {
                continue;
            }

            var copies = Network.Copies(Random, from.Slot, to.Slot, delays);
            for (var i = 0; i < copies; i++)
            {
                Enqueue(Now + delays[i], new SimEvent(null, new SimDatagram(from, to, message)));
            }
        }
    }

    /// <summary>Hands a datagram to the node now on its destination, unless the path is blocked by now.</summary>
    private SimDatagram? Deliver(SimDatagram datagram)
    {
        if (datagram.To.Node is not { } node || Network.Blocked(datagram.From.Slot, datagram.To.Slot))
        {
            return null;
        }

        if (datagram.Message is Heartbeat hb)
        {
            node.Receive(hb, Now);
        }
        else
        {
            node.Receive((Handover)datagram.Message, Now);
        }

        Service(datagram.To);
        return datagram;
    }

    /// <summary>The daemon's periodic look at its kept buckets: some still serve flows, the rest have drained.</summary>
    private void ScheduleRetain(SimHost host)
    {
        var incarnation = host.Incarnation;
        At(Now + Random.Next(100, 500), $"{host.Name} retain kept", () =>
        {
            if (host.Node is not { } node || host.Incarnation != incarnation)
            {
                return false;
            }

            var own = node.Ownership;
            var usage = new KeptUsage(
                own.Rules.Select(r => (IReadOnlySet<int>)r.KeptBuckets.Where(_ => Random.NextDouble() < KeptStillInUse).ToHashSet()).ToArray(),
                own.Rules.Select(r => r.KeepsSingle && Random.NextDouble() < KeptStillInUse).ToArray(),
                own.KeepsDefault && Random.NextDouble() < KeptStillInUse);
            node.RetainKept(usage, Now);
            Service(host);
            ScheduleRetain(host);
            return true;
        });
    }

    /// <summary>Mostly nothing or a few entries; sometimes more than one chunk holds.</summary>
    private (HandoverFlow[] Flows, HandoverClient[] Clients) SyntheticHandover()
    {
        var roll = Random.NextDouble();
        var flows = roll < 0.4 ? 0 : roll < 0.8 ? Random.Next(1, 10) : Random.Next(ConvergenceNode.MaxEntriesPerChunk + 1, 3 * ConvergenceNode.MaxEntriesPerChunk);
        var clients = Random.Next(0, 5);
        return (
            Enumerable.Range(0, flows).Select(i => new HandoverFlow(SimCluster.Dns, Client(i), 1024 + i, Vip, 53)).ToArray(),
            Enumerable.Range(0, clients).Select(i => new HandoverClient(SimCluster.Dns, Client(i))).ToArray());
    }

    private static IPAddress Client(int i) => new([198, 51, 100, (byte)(i % 250 + 1)]);
}
