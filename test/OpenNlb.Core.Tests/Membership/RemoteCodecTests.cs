using System.Buffers.Binary;
using OpenNlb.Core.Control;
using OpenNlb.Core.Convergence;
using OpenNlb.Core.Membership;
using Xunit;

namespace OpenNlb.Core.Tests.Membership;

/// <summary>Remote control requests and replies: authenticated, bounded, strict about every field.</summary>
public sealed class RemoteCodecTests
{
    private static readonly RemoteRequest Request = new(7, 1, 1000, 42, 9, 2, RemoteCommandKind.SetWeight, "web", 80, 1_790_000_000_000);

    private static readonly RemoteReply Reply = new(7, 2, 2000, 43, 9, 1, true, DisplayState.Converged, "load weight of web set to 80");

    [Fact]
    public void Request_RoundTrips_FieldByField()
    {
        var bytes = RemoteCodec.Encode(Request, WireSamples.Key);
        Assert.Equal(RemoteCodec.RequestMinSize + 3, bytes.Length);
        Assert.Equal(HeartbeatError.None, RemoteCodec.TryParse(bytes, WireSamples.Key, out RemoteRequest? parsed));
        Assert.Equal(Request, parsed);
        Assert.Equal(new HostCommand(HostCommandKind.SetWeight, "web", 80), parsed!.ToHostCommand());
    }

    [Fact]
    public void Request_WithoutRuleOrNumber_RoundTripsAsNulls()
    {
        var drain = Request with { Kind = RemoteCommandKind.DrainStop, Rule = null, Number = null };
        Assert.Equal(HeartbeatError.None, RemoteCodec.TryParse(RemoteCodec.Encode(drain, WireSamples.Key), WireSamples.Key, out RemoteRequest? parsed));
        Assert.Equal(drain, parsed);
        Assert.Equal(new HostCommand(HostCommandKind.DrainStop), parsed!.ToHostCommand());
    }

    [Fact]
    public void Reply_RoundTrips_AndALongMessageIsCutOnACharacterBoundary()
    {
        Assert.Equal(HeartbeatError.None, RemoteCodec.TryParse(RemoteCodec.Encode(Reply, WireSamples.Key), WireSamples.Key, out RemoteReply? parsed));
        Assert.Equal(Reply, parsed);

        var longer = Reply with { Message = new string('é', 700) };
        var bytes = RemoteCodec.Encode(longer, WireSamples.Key);
        Assert.Equal(HeartbeatError.None, RemoteCodec.TryParse(bytes, WireSamples.Key, out parsed));
        Assert.Equal(500, parsed!.Message.Length);
    }

    [Fact]
    public void Request_UnderAnotherKey_IsForged()
    {
        var bytes = RemoteCodec.Encode(Request, WireSamples.OtherKey);
        Assert.Equal(HeartbeatError.Forged, RemoteCodec.TryParse(bytes, WireSamples.Key, out RemoteRequest? parsed));
        Assert.Null(parsed);
    }

    [Fact]
    public void AReply_IsNotARequest()
    {
        var bytes = RemoteCodec.Encode(Reply, WireSamples.Key);
        Assert.Equal(HeartbeatError.UnknownType, RemoteCodec.TryParse(bytes, WireSamples.Key, out RemoteRequest? _));
    }

    // Offsets after the 29-byte common header: id 29..32, target 33, kind 34, number 35..38,
    // issued 39..46, rule length 47, rule from 48.
    [Theory]
    [InlineData(33, 65)]
    [InlineData(34, 0)]
    [InlineData(34, 12)]
    [InlineData(47, 4)]
    [InlineData(48, 0x01)]
    [InlineData(48, 0xC3)]
    public void Request_WithAFieldOutOfRange_IsRefused_EvenWhenAuthentic(int offset, byte value)
    {
        var bytes = RemoteCodec.Encode(Request, WireSamples.Key);
        bytes[offset] = value;
        WireSamples.Reseal(bytes);
        Assert.Equal(HeartbeatError.BadRemote, RemoteCodec.TryParse(bytes, WireSamples.Key, out RemoteRequest? parsed));
        Assert.Null(parsed);
    }

    [Fact]
    public void Request_WithANegativeNumber_OtherThanNone_IsRefused()
    {
        var bytes = RemoteCodec.Encode(Request, WireSamples.Key);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(35), -2);
        WireSamples.Reseal(bytes);
        Assert.Equal(HeartbeatError.BadRemote, RemoteCodec.TryParse(bytes, WireSamples.Key, out RemoteRequest? _));
    }

    // Reply offsets: id 29..32, requester 33, ok 34, state 35, length 36..37, message from 38.
    [Theory]
    [InlineData(33, 0)]
    [InlineData(34, 2)]
    [InlineData(35, 200)]
    [InlineData(38, 0x07)]
    public void Reply_WithAFieldOutOfRange_IsRefused_EvenWhenAuthentic(int offset, byte value)
    {
        var bytes = RemoteCodec.Encode(Reply, WireSamples.Key);
        bytes[offset] = value;
        WireSamples.Reseal(bytes);
        Assert.Equal(HeartbeatError.BadRemote, RemoteCodec.TryParse(bytes, WireSamples.Key, out RemoteReply? parsed));
        Assert.Null(parsed);
    }

    [Fact]
    public void TwoHundredThousandMutations_NeverThrow_AndOnlyAuthenticOnesParse_UnlessResealedWithTheKey()
    {
        var random = new Random(20261122);
        var seeds = new[] { RemoteCodec.Encode(Request, WireSamples.Key), RemoteCodec.Encode(Reply, WireSamples.Key) };
        var parsedWithoutTag = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var seed = seeds[i & 1];
            var length = Math.Clamp(seed.Length + random.Next(-8, 9), 0, RemoteCodec.ReplyMaxSize + 8);
            var bytes = new byte[length];
            seed.AsSpan(0, Math.Min(seed.Length, length)).CopyTo(bytes);
            for (var flips = random.Next(1, 4); flips > 0 && length > 0; flips--)
            {
                bytes[random.Next(length)] ^= (byte)(1 << random.Next(8));
            }

            var resealed = (i & 2) != 0 && length >= RemoteCodec.RequestMinSize;
            if (resealed)
            {
                BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(6), (ushort)length);
                WireSamples.Reseal(bytes);
            }

            var a = RemoteCodec.TryParse(bytes, WireSamples.Key, out RemoteRequest? request);
            var b = RemoteCodec.TryParse(bytes, WireSamples.Key, out RemoteReply? reply);
            // Flips that cancel out leave the seed itself, which is authentic.
            if (!resealed && (a == HeartbeatError.None || b == HeartbeatError.None) && !bytes.AsSpan().SequenceEqual(seed))
            {
                parsedWithoutTag++;
            }

            Assert.Equal(a == HeartbeatError.None, request is not null);
            Assert.Equal(b == HeartbeatError.None, reply is not null);
        }

        Assert.Equal(0, parsedWithoutTag);
    }
}
