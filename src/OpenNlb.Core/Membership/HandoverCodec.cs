using System.Net;
using System.Net.Sockets;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Convergence;

namespace OpenNlb.Core.Membership;

/// <summary>
/// The hand-over wire format, version 3 (docs/heartbeat.md): one chunk of what a host keeps
/// outside its share for an epoch, as UDP flows and affinity clients. Same frame, same tag and the
/// same sequence space as the heartbeat. A datagram is at most <see cref="MaxSize"/> bytes so that
/// it never fragments; <see cref="Chunk"/> splits a hand-over to fit.
/// </summary>
public static class HandoverCodec
{
    /// <summary>Header, epoch, chunk index and count, flow count, client count.</summary>
    public const int FixedSize = WireFormat.HeaderSize + 8 + 2 + 2 + 2 + 2;

    public const int MinSize = FixedSize + WireFormat.TagSize;

    /// <summary>Below the 1,500-byte Ethernet MTU with room for IP, UDP and tunnel headers.</summary>
    public const int MaxSize = 1400;

    /// <summary>At most 4,096 chunks per hand-over: 380,000 IPv4 UDP flows, resent until acknowledged.</summary>
    public const int MaxChunks = 4096;

    /// <summary>Rule indexes are below the configuration's limit on port rules.</summary>
    public const int MaxRules = ConfigLimits.MaxPortRules;

    /// <summary>Room for entries in one datagram.</summary>
    public const int EntrySpace = MaxSize - MinSize;

    public const byte FamilyIPv4 = 4;

    /// <summary>The smallest entries, IPv4 ones: what a count must at least take up.</summary>
    private const int MinFlowSize = 14;
    private const int MinClientSize = 6;

    public const byte FamilyIPv6 = 6;

    /// <summary>Rule, family, client address and port, VIP address and port: 14 bytes for IPv4, 38 for IPv6.</summary>
    public static int SizeOf(HandoverFlow flow) => 1 + 1 + (2 * AddressSize(flow.Client)) + 2 + 2;

    /// <summary>Rule, family, address: 6 bytes for IPv4, 18 for IPv6.</summary>
    public static int SizeOf(HandoverClient client) => 1 + 1 + AddressSize(client.Client);

    public static int SizeOf(Handover handover)
    {
        ArgumentNullException.ThrowIfNull(handover);
        var size = MinSize;
        foreach (var flow in handover.Flows)
        {
            size += SizeOf(flow);
        }

        foreach (var client in handover.Clients)
        {
            size += SizeOf(client);
        }

        return size;
    }

    /// <summary>
    /// Splits what a host keeps into chunks of at most <see cref="MaxSize"/> bytes, flows first,
    /// in the order given. Each chunk's sequence is 0: the sender sets a fresh one every time it
    /// sends it (resends included), since receivers refuse a repeated sequence as a replay. What
    /// does not fit in <see cref="MaxChunks"/> chunks is left out and counted in
    /// <paramref name="leftOut"/>: the new owner then takes those flows, which breaks them, but
    /// the host goes on.
    /// </summary>
    public static IReadOnlyList<Handover> Chunk(
        uint clusterId, int hostPriority, ulong incarnation, ulong epoch,
        IReadOnlyList<HandoverFlow> flows, IReadOnlyList<HandoverClient> clients, out int leftOut)
    {
        ArgumentNullException.ThrowIfNull(flows);
        ArgumentNullException.ThrowIfNull(clients);
        var chunks = new List<(List<HandoverFlow> Flows, List<HandoverClient> Clients)>();
        var room = 0;
        leftOut = 0;

        bool Place(int size)
        {
            if (size <= room)
            {
                room -= size;
                return true;
            }

            if (chunks.Count == MaxChunks)
            {
                return false;
            }

            chunks.Add(([], []));
            room = EntrySpace - size;
            return true;
        }

        foreach (var flow in flows)
        {
            if (Place(SizeOf(flow)))
            {
                chunks[^1].Flows.Add(flow);
            }
            else
            {
                leftOut++;
            }
        }

        foreach (var client in clients)
        {
            if (Place(SizeOf(client)))
            {
                chunks[^1].Clients.Add(client);
            }
            else
            {
                leftOut++;
            }
        }

        return [.. chunks.Select((c, i) => new Handover(clusterId, hostPriority, incarnation, 0, epoch, i, chunks.Count, c.Flows, c.Clients))];
    }

    /// <summary>Writes the hand-over chunk and its tag; returns the size. Throws on a chunk the parser would refuse.</summary>
    public static int Write(Handover handover, ClusterKey key, Span<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(handover);
        ArgumentNullException.ThrowIfNull(key);
        Check(handover);
        var size = SizeOf(handover);
        if (size > MaxSize)
        {
            throw new ArgumentException($"the hand-over chunk needs {size} bytes, more than {MaxSize}; split it with {nameof(Chunk)}", nameof(handover));
        }

        if (destination.Length < size)
        {
            throw new ArgumentException($"the hand-over chunk needs {size} bytes, the buffer has {destination.Length}", nameof(destination));
        }

        var datagram = destination[..size];
        var w = new WireWriter(datagram);
        WireFormat.WriteHeader(ref w, WireFormat.TypeHandover, size, handover.ClusterId, handover.HostPriority, handover.Incarnation, handover.Sequence);
        w.UInt64(handover.Epoch);
        w.UInt16((ushort)handover.ChunkIndex);
        w.UInt16((ushort)handover.ChunkCount);
        w.UInt16((ushort)handover.Flows.Count);
        w.UInt16((ushort)handover.Clients.Count);
        foreach (var flow in handover.Flows)
        {
            w.Byte((byte)flow.Rule);
            w.Byte(Family(flow.Client));
            w.Address(flow.Client);
            w.UInt16((ushort)flow.ClientPort);
            w.Address(flow.Vip);
            w.UInt16((ushort)flow.VipPort);
        }

        foreach (var client in handover.Clients)
        {
            w.Byte((byte)client.Rule);
            w.Byte(Family(client.Client));
            w.Address(client.Client);
        }

        WireFormat.Seal(datagram, key);
        return size;
    }

    public static HeartbeatError TryParse(ReadOnlySpan<byte> datagram, ClusterKey key, out Handover? handover)
    {
        ArgumentNullException.ThrowIfNull(key);
        handover = null;
        var error = WireFormat.OpenWithHeader(datagram, WireFormat.TypeHandover, MinSize, MaxSize, key, out var header);
        if (error != HeartbeatError.None)
        {
            return error;
        }

        var (clusterId, priority, incarnation, sequence) = header;
        var r = WireFormat.Body(datagram);

        var epoch = r.UInt64();
        var chunkIndex = r.UInt16();
        var chunkCount = r.UInt16();
        var flowCount = r.UInt16();
        var clientCount = r.UInt16();
        if (chunkCount is 0 or > MaxChunks || chunkIndex >= chunkCount)
        {
            return HeartbeatError.BadHandover;
        }

        // Each entry is at least its IPv4 size: counts that cannot fit are refused before any
        // array is allocated for them.
        if ((flowCount * MinFlowSize) + (clientCount * MinClientSize) > r.Remaining)
        {
            return HeartbeatError.LengthMismatch;
        }

        var flows = new HandoverFlow[flowCount];
        for (var i = 0; i < flows.Length; i++)
        {
            var rule = r.Byte();
            var size = AddressSize(r.Byte());
            var client = r.Bytes(size);
            var clientPort = r.UInt16();
            var vip = r.Bytes(size);
            var vipPort = r.UInt16();
            if (r.Overrun)
            {
                return HeartbeatError.LengthMismatch;
            }

            error = size == 0 ? HeartbeatError.BadAddress : rule >= MaxRules ? HeartbeatError.BadRuleIndex : HeartbeatError.None;
            if (error != HeartbeatError.None)
            {
                return error;
            }

            flows[i] = new HandoverFlow(rule, new IPAddress(client), clientPort, new IPAddress(vip), vipPort);
        }

        var clients = new HandoverClient[clientCount];
        for (var i = 0; i < clients.Length; i++)
        {
            var rule = r.Byte();
            var size = AddressSize(r.Byte());
            var address = r.Bytes(size);
            if (r.Overrun)
            {
                return HeartbeatError.LengthMismatch;
            }

            error = size == 0 ? HeartbeatError.BadAddress : rule >= MaxRules ? HeartbeatError.BadRuleIndex : HeartbeatError.None;
            if (error != HeartbeatError.None)
            {
                return error;
            }

            clients[i] = new HandoverClient(rule, new IPAddress(address));
        }

        if (r.Remaining != 0)
        {
            return HeartbeatError.LengthMismatch;
        }

        handover = new Handover(clusterId, priority, incarnation, sequence, epoch, chunkIndex, chunkCount, flows, clients);
        return HeartbeatError.None;
    }

    /// <summary>Address bytes for a family byte; 0 for an unknown family.</summary>
    private static int AddressSize(byte family) => family switch
    {
        FamilyIPv4 => 4,
        FamilyIPv6 => 16,
        _ => 0,
    };

    private static int AddressSize(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? 16 : 4;

    private static byte Family(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? FamilyIPv6 : FamilyIPv4;

    private static void Check(Handover handover)
    {
        static void Require(bool ok, string what)
        {
            if (!ok)
            {
                throw new ArgumentException($"cannot encode this hand-over chunk: {what}", "handover");
            }
        }

        static bool Usable(IPAddress address) =>
            address.AddressFamily == AddressFamily.InterNetwork
            || (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId == 0);

        Require(handover.HostPriority is >= 1 and <= 64, "host priority outside 1..64");
        Require(handover.ChunkCount is >= 1 and <= MaxChunks && handover.ChunkIndex >= 0 && handover.ChunkIndex < handover.ChunkCount, "chunk index or count out of range");
        foreach (var flow in handover.Flows)
        {
            Require(flow.Rule is >= 0 and < MaxRules, "a flow's rule index out of range");
            Require(Usable(flow.Client) && Usable(flow.Vip) && flow.Client.AddressFamily == flow.Vip.AddressFamily, "a flow's addresses are not both IPv4 or both IPv6 without scope");
            Require(flow.ClientPort is >= 0 and <= 65535 && flow.VipPort is >= 0 and <= 65535, "a flow's port out of range");
        }

        foreach (var client in handover.Clients)
        {
            Require(client.Rule is >= 0 and < MaxRules, "a client's rule index out of range");
            Require(Usable(client.Client), "a client address that is neither IPv4 nor IPv6 without scope");
        }
    }
}
