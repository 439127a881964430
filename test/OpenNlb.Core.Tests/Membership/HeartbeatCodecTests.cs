using OpenNlb.Core.Allocation;
using OpenNlb.Core.Membership;
using Xunit;

namespace OpenNlb.Core.Tests.Membership;

public sealed class HeartbeatCodecTests
{
    private static readonly Heartbeat Sample = new(
        ClusterId: 0x01020304,
        Fingerprint: 0x1122334455667788,
        HostPriority: 3,
        State: MemberState.Started,
        Incarnation: 0x0000019A_BCDEF012,
        Sequence: 42,
        Rules: [new MemberRule(null, 3), new MemberRule(80, 1)]);

    // Pinned bytes of version 1: a change here breaks every running cluster during an upgrade.
    private const string SampleHex =
        "4f4e4c42" + "01" + "01" + "002c" + "01020304" + "1122334455667788" + "03" + "01" + "0002"
        + "0000019abcdef012" + "000000000000002a" + "ff03" + "5001";

    [Fact]
    public void Write_ProducesThePinnedBytes()
    {
        var buffer = new byte[HeartbeatCodec.MaxSize];
        var n = HeartbeatCodec.Write(Sample, buffer);
        Assert.Equal(SampleHex, Convert.ToHexStringLower(buffer.AsSpan(0, n)));
    }

    [Fact]
    public void TryParse_ReadsThePinnedBytes()
    {
        Assert.Equal(HeartbeatError.None, HeartbeatCodec.TryParse(Convert.FromHexString(SampleHex), out var hb));
        Assert.Equal(Sample, hb);
    }

    [Theory]
    [InlineData(0, HeartbeatError.Truncated)]
    [InlineData(7, HeartbeatError.Truncated)]
    [InlineData(39, HeartbeatError.Truncated)]
    [InlineData(43, HeartbeatError.LengthMismatch)]
    public void TryParse_RejectsTruncated(int length, HeartbeatError expected)
    {
        var bytes = Convert.FromHexString(SampleHex).AsSpan(0, length).ToArray();
        Assert.Equal(expected, HeartbeatCodec.TryParse(bytes, out var hb));
        Assert.Null(hb);
    }

    [Theory]
    [InlineData(0, 0x00, HeartbeatError.BadMagic)]
    [InlineData(4, 0x02, HeartbeatError.UnsupportedVersion)]
    [InlineData(5, 0x07, HeartbeatError.UnknownType)]
    [InlineData(7, 0x2d, HeartbeatError.LengthMismatch)]
    [InlineData(20, 0x00, HeartbeatError.BadHostPriority)]
    [InlineData(20, 65, HeartbeatError.BadHostPriority)]
    [InlineData(21, 0x09, HeartbeatError.BadState)]
    [InlineData(23, 0x03, HeartbeatError.LengthMismatch)]
    [InlineData(40, 101, HeartbeatError.BadMemberRule)]
    [InlineData(41, 0, HeartbeatError.BadMemberRule)]
    public void TryParse_RejectsEachBadField(int offset, byte value, HeartbeatError expected)
    {
        var bytes = Convert.FromHexString(SampleHex);
        bytes[offset] = value;
        Assert.Equal(expected, HeartbeatCodec.TryParse(bytes, out _));
    }

    [Fact]
    public void TryParse_RejectsOversized()
    {
        Assert.Equal(HeartbeatError.Oversized, HeartbeatCodec.TryParse(new byte[HeartbeatCodec.MaxSize + 1], out _));
    }

    [Fact]
    public void TryParse_NeverThrowsOnMutatedHeartbeats()
    {
        var random = new Random(2526);
        var original = Convert.FromHexString(SampleHex);
        var accepted = 0;
        for (var i = 0; i < 100_000; i++)
        {
            var bytes = original.AsSpan(0, random.Next(original.Length + 1)).ToArray();
            for (var flips = random.Next(1, 4); flips > 0 && bytes.Length > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            if (HeartbeatCodec.TryParse(bytes, out var hb) == HeartbeatError.None)
            {
                accepted++;
                Assert.InRange(hb!.HostPriority, 1, 64);
                Assert.Equal(bytes.Length, HeartbeatCodec.SizeOf(hb));
            }
        }

        // Mutations of identity fields (cluster id, sequence...) still parse; most others must not.
        Assert.InRange(accepted, 1, 99_999);
    }
}
