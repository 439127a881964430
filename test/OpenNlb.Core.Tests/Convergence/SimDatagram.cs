using OpenNlb.Core.Convergence;
using OpenNlb.Core.Membership;

namespace OpenNlb.Core.Tests.Convergence;

/// <summary>A heartbeat or hand-over chunk on its way from one host to another; it describes itself for the trace only when asked.</summary>
internal sealed class SimDatagram(SimHost from, SimHost to, object message)
{
    public SimHost From { get; } = from;

    public SimHost To { get; } = to;

    public object Message { get; } = message;

    public override string ToString() => Message switch
    {
        Heartbeat hb => $"hb #{hb.Sequence} {From.Name}>{To.Name} {hb.State} e{SimCluster.Epoch(hb.AdoptedOrNone.Epoch)}{SimDescribe.Members(hb.AdoptedOrNone)} "
            + $"view {Bits(hb.View)} ho {(hb.HandoverChunks == Heartbeat.HandoverPending ? "pending" : hb.HandoverChunks)} acks {Bits(hb.HandoverAcks)}",
        Handover chunk => $"hand-over {From.Name}>{To.Name} e{SimCluster.Epoch(chunk.Epoch)} chunk {chunk.ChunkIndex + 1}/{chunk.ChunkCount}",
        _ => $"{Message} {From.Name}>{To.Name}",
    };

    private static string Bits(ulong set) =>
        $"{{{string.Join(",", Enumerable.Range(1, 64).Where(p => (set & (1UL << (p - 1))) != 0))}}}";
}
