using System.Text;
using OpenNlb.Core.Control;
using OpenNlb.Core.Convergence;

namespace OpenNlb.Core.Membership;

/// <summary>
/// Remote control requests and replies (docs/heartbeat.md, types 3 and 4): the heartbeat's frame,
/// tag and sequence space, so they are authenticated with the cluster key and replays are refused
/// as for heartbeats. Strings are UTF-8 with a length prefix and no control characters.
/// </summary>
public static class RemoteCodec
{
    /// <summary>A port rule name is at most 64 bytes (ConfigLimits); a reply's message at most this many.</summary>
    public const int MaxRuleBytes = 64;

    public const int MaxMessageBytes = 1000;

    /// <summary>Header, request id, target, kind, number, issued time, rule length.</summary>
    public const int RequestFixedSize = WireFormat.HeaderSize + 4 + 1 + 1 + 4 + 8 + 1;

    public const int RequestMinSize = RequestFixedSize + WireFormat.TagSize;

    public const int RequestMaxSize = RequestMinSize + MaxRuleBytes;

    /// <summary>Header, request id, requester, ok, state, message length.</summary>
    public const int ReplyFixedSize = WireFormat.HeaderSize + 4 + 1 + 1 + 1 + 2;

    public const int ReplyMinSize = ReplyFixedSize + WireFormat.TagSize;

    public const int ReplyMaxSize = ReplyMinSize + MaxMessageBytes;

    /// <summary>No number: a drainstop without a timeout.</summary>
    private const int NoNumber = -1;

    public static byte[] Encode(RemoteRequest request, ClusterKey key)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(key);
        var rule = Encoding.UTF8.GetBytes(request.Rule ?? string.Empty);
        if (rule.Length > MaxRuleBytes)
        {
            throw new ArgumentException($"rule name longer than {MaxRuleBytes} bytes", nameof(request));
        }

        var buffer = new byte[RequestMinSize + rule.Length];
        var w = new WireWriter(buffer);
        WireFormat.WriteHeader(ref w, WireFormat.TypeRemoteRequest, buffer.Length, request.ClusterId, request.HostPriority, request.Incarnation, request.Sequence);
        w.UInt32(request.RequestId);
        w.Byte(checked((byte)request.Target));
        w.Byte((byte)request.Kind);
        w.UInt32(unchecked((uint)(request.Number ?? NoNumber)));
        w.UInt64(unchecked((ulong)request.IssuedUnixMs));
        w.Byte((byte)rule.Length);
        w.Bytes(rule);
        WireFormat.Seal(buffer, key);
        return buffer;
    }

    public static byte[] Encode(RemoteReply reply, ClusterKey key)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(key);
        var message = Truncate(reply.Message);
        var buffer = new byte[ReplyMinSize + message.Length];
        var w = new WireWriter(buffer);
        WireFormat.WriteHeader(ref w, WireFormat.TypeRemoteReply, buffer.Length, reply.ClusterId, reply.HostPriority, reply.Incarnation, reply.Sequence);
        w.UInt32(reply.RequestId);
        w.Byte(checked((byte)reply.Requester));
        w.Byte(reply.Ok ? (byte)1 : (byte)0);
        w.Byte((byte)reply.State);
        w.UInt16((ushort)message.Length);
        w.Bytes(message);
        WireFormat.Seal(buffer, key);
        return buffer;
    }

    public static HeartbeatError TryParse(ReadOnlySpan<byte> datagram, ClusterKey key, out RemoteRequest? request)
    {
        ArgumentNullException.ThrowIfNull(key);
        request = null;
        var error = WireFormat.OpenWithHeader(datagram, WireFormat.TypeRemoteRequest, RequestMinSize, RequestMaxSize, key, out var header);
        if (error != HeartbeatError.None)
        {
            return error;
        }

        var (clusterId, priority, incarnation, sequence) = header;
        var r = WireFormat.Body(datagram);

        var id = r.UInt32();
        var target = r.Byte();
        var kind = r.Byte();
        var number = unchecked((int)r.UInt32());
        var issued = unchecked((long)r.UInt64());
        var ruleLength = r.Byte();
        if (target > 64 || kind is < (byte)RemoteCommandKind.Query or > (byte)RemoteCommandKind.Reload || number < NoNumber
            || ruleLength > MaxRuleBytes || ruleLength != r.Remaining)
        {
            return HeartbeatError.BadRemote;
        }

        var rule = Text(r.Bytes(ruleLength));
        if (rule is null)
        {
            return HeartbeatError.BadRemote;
        }

        request = new RemoteRequest(
            clusterId, priority, incarnation, sequence, id, target, (RemoteCommandKind)kind,
            rule.Length == 0 ? null : rule, number == NoNumber ? null : number, issued);
        return HeartbeatError.None;
    }

    public static HeartbeatError TryParse(ReadOnlySpan<byte> datagram, ClusterKey key, out RemoteReply? reply)
    {
        ArgumentNullException.ThrowIfNull(key);
        reply = null;
        var error = WireFormat.OpenWithHeader(datagram, WireFormat.TypeRemoteReply, ReplyMinSize, ReplyMaxSize, key, out var header);
        if (error != HeartbeatError.None)
        {
            return error;
        }

        var (clusterId, priority, incarnation, sequence) = header;
        var r = WireFormat.Body(datagram);

        var id = r.UInt32();
        var requester = r.Byte();
        var ok = r.Byte();
        var state = r.Byte();
        var length = r.UInt16();
        if (requester is < 1 or > 64 || ok > 1 || !Enum.IsDefined((DisplayState)state) || length > MaxMessageBytes || length != r.Remaining)
        {
            return HeartbeatError.BadRemote;
        }

        var message = Text(r.Bytes(length));
        if (message is null)
        {
            return HeartbeatError.BadRemote;
        }

        reply = new RemoteReply(clusterId, priority, incarnation, sequence, id, requester, ok == 1, (DisplayState)state, message);
        return HeartbeatError.None;
    }

    /// <summary>Strict UTF-8 without control characters, or null.</summary>
    private static string? Text(ReadOnlySpan<byte> bytes)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }

        return text.Any(char.IsControl) ? null : text;
    }

    /// <summary>A message cut to at most <see cref="MaxMessageBytes"/> bytes of UTF-8, on a character boundary, control characters replaced.</summary>
    private static byte[] Truncate(string message)
    {
        var clean = new string(message.Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        var bytes = Encoding.UTF8.GetBytes(clean);
        if (bytes.Length <= MaxMessageBytes)
        {
            return bytes;
        }

        var end = MaxMessageBytes;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80)
        {
            end--;
        }

        return bytes[..end];
    }
}
