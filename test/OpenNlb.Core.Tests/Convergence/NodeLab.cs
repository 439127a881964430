using System.Net;
using OpenNlb.Core.Convergence;
using OpenNlb.Core.Membership;

namespace OpenNlb.Core.Tests.Convergence;

/// <summary>
/// A hand-driven bench for a few <see cref="ConvergenceNode"/>s: the test says which heartbeat or
/// hand-over reaches which node and when, so that each step of the protocol can be looked at.
/// </summary>
internal sealed class NodeLab
{
    private static readonly IPAddress Vip = IPAddress.Parse("192.0.2.10");
    private readonly Dictionary<ConvergenceNode, ulong> _sequences = [];

    public long Now { get; set; }

    /// <summary>A node of host <paramref name="priority"/> started now; a restart passes a larger <paramref name="incarnation"/>.</summary>
    public ConvergenceNode Boot(int priority, bool restarted = false, ulong? incarnation = null) =>
        new(SimCluster.Settings(priority, incarnation ?? (ulong)(100 + priority), restarted: restarted), Now);

    /// <summary>
    /// <paramref name="next"/> took over from <paramref name="before"/> in the same daemon (a
    /// switch of the cluster section): its datagrams go on numbering where the daemon was, past
    /// <paramref name="resent"/> re-sends of the last heartbeat meanwhile.
    /// </summary>
    public void Continue(ConvergenceNode before, ConvergenceNode next, int resent = 0) =>
        _sequences[next] = _sequences.GetValueOrDefault(before) + (ulong)resent;

    public Heartbeat Heartbeat(ConvergenceNode from)
    {
        _sequences[from] = _sequences.GetValueOrDefault(from) + 1;
        return from.MakeHeartbeat(_sequences[from], Now);
    }

    /// <summary>A fresh heartbeat of <paramref name="from"/> reaches each of <paramref name="to"/>.</summary>
    public void Tell(ConvergenceNode from, params ConvergenceNode[] to)
    {
        var hb = Heartbeat(from);
        foreach (var node in to)
        {
            node.Receive(hb, Now);
        }
    }

    /// <summary>Answers a wanted hand-over with <paramref name="flows"/> synthetic UDP flows.</summary>
    public void Collect(ConvergenceNode node, int flows = 0)
    {
        if (node.HandoverWanted is { } epoch)
        {
            node.HandoverCollected(
                epoch,
                Enumerable.Range(0, flows).Select(i => new HandoverFlow(SimCluster.Dns, new IPAddress([198, 51, 100, (byte)(i + 1)]), 5000, Vip, 53)).ToArray(),
                [],
                Now);
        }
    }

    /// <summary>The hand-over chunks <paramref name="from"/> has due reach each of <paramref name="to"/>.</summary>
    public void SendHandover(ConvergenceNode from, params ConvergenceNode[] to)
    {
        foreach (var chunk in from.HandoverDue(Now))
        {
            foreach (var node in to)
            {
                node.Receive(chunk, Now);
            }
        }
    }

    /// <summary>Heartbeat periods of a perfect network: every node ticks, collects, and tells every other.</summary>
    public void Run(long durationMs, params ConvergenceNode[] nodes)
    {
        for (var end = Now + durationMs; Now < end;)
        {
            Now += SimCluster.PeriodMs;
            foreach (var node in nodes)
            {
                node.Tick(Now);
                Collect(node);
            }

            foreach (var node in nodes)
            {
                Tell(node, nodes.Where(n => n != node).ToArray());
                SendHandover(node, nodes.Where(n => n != node).ToArray());
            }
        }
    }
}
