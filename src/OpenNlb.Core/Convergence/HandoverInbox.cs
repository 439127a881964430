namespace OpenNlb.Core.Convergence;

/// <summary>
/// The hand-over chunks received from each other host, for its latest epoch only. Entries are
/// passed on for installation as soon as a chunk arrives (adding a foreign flow early is harmless);
/// completeness only gates this host's claims.
/// </summary>
internal sealed class HandoverInbox
{
    private readonly Dictionary<int, Received> _bySender = [];

    /// <summary>Takes a chunk; returns false when it is older than what is held or malformed.</summary>
    public bool Receive(Handover chunk)
    {
        if (chunk.ChunkCount <= 0 || chunk.ChunkIndex < 0 || chunk.ChunkIndex >= chunk.ChunkCount)
        {
            return false;
        }

        if (_bySender.TryGetValue(chunk.HostPriority, out var held))
        {
            var older = chunk.Incarnation < held.Incarnation
                || (chunk.Incarnation == held.Incarnation && chunk.Epoch < held.Epoch);
            if (older)
            {
                return false;
            }

            var same = chunk.Incarnation == held.Incarnation && chunk.Epoch == held.Epoch;
            if (same && held.ChunkCount != chunk.ChunkCount)
            {
                return false;
            }

            if (!same)
            {
                held = null;
            }
        }

        held ??= new Received(chunk.Incarnation, chunk.Epoch, chunk.ChunkCount);
        _bySender[chunk.HostPriority] = held;
        return held.Chunks.Add(chunk.ChunkIndex);
    }

    /// <summary>Whether the hand-over a peer announces in its heartbeat is all here.</summary>
    public bool IsComplete(int sender, ulong incarnation, ulong epoch, int chunkCount) =>
        chunkCount == 0
        || (_bySender.TryGetValue(sender, out var held) && held.Incarnation == incarnation && held.Epoch == epoch
            && held.ChunkCount == chunkCount && held.Chunks.Count == chunkCount);

    public void Forget(int sender) => _bySender.Remove(sender);

    private sealed class Received(ulong incarnation, ulong epoch, int chunkCount)
    {
        public ulong Incarnation { get; } = incarnation;

        public ulong Epoch { get; } = epoch;

        public int ChunkCount { get; } = chunkCount;

        public HashSet<int> Chunks { get; } = [];
    }
}
