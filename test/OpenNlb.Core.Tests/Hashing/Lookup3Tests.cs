using System.Text;
using OpenNlb.Core.Hashing;
using Xunit;

namespace OpenNlb.Core.Tests.Hashing;

public sealed class Lookup3Tests
{
    // Published in driver5() of Bob Jenkins' lookup3.c (hashlittle / hashlittle2 with b = 0).
    [Theory]
    [InlineData("", 0u, 0xdeadbeefu)]
    [InlineData("", 0xdeadbeefu, 0xbd5b7ddeu)]
    [InlineData("", 0xbd5b7ddeu, 0x9c093ccdu)]
    [InlineData("Four score and seven years ago", 0u, 0x17770551u)]
    [InlineData("Four score and seven years ago", 1u, 0xcd628161u)]
    public void Hash_MatchesPublishedLookup3Vectors(string key, uint seed, uint expected)
    {
        Assert.Equal(expected, Lookup3.Hash(Encoding.ASCII.GetBytes(key), seed));
    }

    // Every tail length 0..12 after 0, 1, 2 and 3 full blocks. Expected values come from an
    // independent Python transcription of include/linux/jhash.h (it reproduces the published vectors
    // above), with key[i] = (i * 37 + 11) & 0xff and seed 0x9e3779b9:
    //
    //   M = 0xffffffff
    //   def rol(x, k): return ((x << k) | (x >> (32 - k))) & M
    //   def jhash(key, seed):
    //       n = len(key); a = b = c = (0xdeadbeef + n + seed) & M; o = 0
    //       while n > 12:
    //           a = (a + int.from_bytes(key[o:o+4], 'little')) & M
    //           b = (b + int.from_bytes(key[o+4:o+8], 'little')) & M
    //           c = (c + int.from_bytes(key[o+8:o+12], 'little')) & M
    //           a = (a - c) & M; a ^= rol(c, 4);  c = (c + b) & M
    //           b = (b - a) & M; b ^= rol(a, 6);  a = (a + c) & M
    //           c = (c - b) & M; c ^= rol(b, 8);  b = (b + a) & M
    //           a = (a - c) & M; a ^= rol(c, 16); c = (c + b) & M
    //           b = (b - a) & M; b ^= rol(a, 19); a = (a + c) & M
    //           c = (c - b) & M; c ^= rol(b, 4);  b = (b + a) & M
    //           n -= 12; o += 12
    //       if n == 0: return c
    //       t = key[o:o+n] + bytes(12 - n)
    //       a = (a + int.from_bytes(t[0:4], 'little')) & M
    //       b = (b + int.from_bytes(t[4:8], 'little')) & M
    //       c = (c + int.from_bytes(t[8:12], 'little')) & M
    //       c ^= b; c = (c - rol(b, 14)) & M;  a ^= c; a = (a - rol(c, 11)) & M
    //       b ^= a; b = (b - rol(a, 25)) & M;  c ^= b; c = (c - rol(b, 16)) & M
    //       a ^= c; a = (a - rol(c, 4)) & M;   b ^= a; b = (b - rol(a, 14)) & M
    //       c ^= b; c = (c - rol(b, 24)) & M
    //       return c
    [Theory]
    [InlineData(0, 0x7CE538A8u)]
    [InlineData(1, 0x5C8A8633u)]
    [InlineData(2, 0x60D5E7C9u)]
    [InlineData(3, 0x57335406u)]
    [InlineData(4, 0x5373FD14u)]
    [InlineData(5, 0x55BF47EFu)]
    [InlineData(6, 0x4882B2FEu)]
    [InlineData(7, 0xCEAB3A91u)]
    [InlineData(8, 0xD8178BF2u)]
    [InlineData(9, 0x4A075BC0u)]
    [InlineData(10, 0x192664E0u)]
    [InlineData(11, 0x045A1A23u)]
    [InlineData(12, 0xEC8FB5D2u)]
    [InlineData(13, 0x4B7E2E89u)]
    [InlineData(14, 0x641027F8u)]
    [InlineData(15, 0xB4559959u)]
    [InlineData(16, 0xDBB26D54u)]
    [InlineData(17, 0x8CE39572u)]
    [InlineData(18, 0xAB507E0Cu)]
    [InlineData(19, 0x79D6B547u)]
    [InlineData(20, 0x13F4FB8Eu)]
    [InlineData(21, 0x9228B164u)]
    [InlineData(22, 0xF8885C92u)]
    [InlineData(23, 0x70C3C536u)]
    [InlineData(24, 0x94E5E69Eu)]
    [InlineData(25, 0x893909AEu)]
    [InlineData(26, 0xE08515E9u)]
    [InlineData(27, 0x5A9484A6u)]
    [InlineData(28, 0x31188F79u)]
    [InlineData(29, 0xF0E61A08u)]
    [InlineData(30, 0x4D3962B8u)]
    [InlineData(31, 0xAE569F15u)]
    [InlineData(32, 0x1E14A013u)]
    [InlineData(33, 0xAC7BB0EFu)]
    [InlineData(34, 0x44D0FFF9u)]
    [InlineData(35, 0x27D8DAC8u)]
    [InlineData(36, 0xBA063D99u)]
    [InlineData(37, 0x30A68DF7u)]
    [InlineData(38, 0xEB1390D3u)]
    [InlineData(39, 0x3BC546B5u)]
    [InlineData(40, 0x8B9D0B64u)]
    public void Hash_MatchesIndependentTranscription_ForEveryTailLength(int length, uint expected)
    {
        Assert.Equal(expected, Lookup3.Hash(PatternKey(length), 0x9e3779b9));
    }

    [Fact]
    public void Hash_UsesEveryByteOfTheKey_AtEveryLength()
    {
        // A byte the tail switch or the block loop forgot would leave the hash unchanged.
        for (var length = 1; length <= 40; length++)
        {
            var key = PatternKey(length);
            var original = Lookup3.Hash(key, 7);
            for (var i = 0; i < length; i++)
            {
                key[i] ^= 0x01;
                Assert.NotEqual(original, Lookup3.Hash(key, 7));
                key[i] ^= 0x01;
            }
        }
    }

    [Fact]
    public void Hash_ReadsNothingBeyondTheKey()
    {
        var buffer = PatternKey(40);
        for (var length = 0; length < 40; length++)
        {
            var expected = Lookup3.Hash(buffer.AsSpan(0, length), 7);
            buffer[length] ^= 0xFF;
            Assert.Equal(expected, Lookup3.Hash(buffer.AsSpan(0, length), 7));
            buffer[length] ^= 0xFF;
        }
    }

    [Fact]
    public void Hash_OfEmptyKey_IsInitialValuePlusSeed_WithoutFinalMix()
    {
        Assert.Equal(unchecked(0xdeadbeefu + 0x1234u), Lookup3.Hash([], 0x1234));
    }

    private static byte[] PatternKey(int length)
    {
        var key = new byte[length];
        for (var i = 0; i < length; i++)
        {
            key[i] = (byte)((i * 37) + 11);
        }

        return key;
    }
}
