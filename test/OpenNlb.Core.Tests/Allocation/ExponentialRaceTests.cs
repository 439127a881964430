using OpenNlb.Core.Allocation;
using Xunit;

namespace OpenNlb.Core.Tests.Allocation;

public sealed class ExponentialRaceTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(100)]
    public void Key_IsMinusLnOfOneMinusUOverTheWeight(int weight)
    {
        var reciprocal = ExponentialRace.Reciprocal(weight);
        foreach (var draw in new uint[] { 0, 1, 1000, 1u << 20, 1u << 31, 3_000_000_000, 4_294_000_000, uint.MaxValue })
        {
            var u = draw / 4294967296.0;
            var expected = -Math.Log(1 - u) / weight;
            var actual = ExponentialRace.Key(draw, reciprocal) / (double)(1UL << 39);

            // Linear interpolation between 4096 points is within 2^-13 (relative) of the curve,
            // except in the last 1/4096 of draws (the slowest arrivals, which only matter once
            // every better pair is taken), where the curve runs off to infinity; plus the keys'
            // resolution, 2^-39.
            var tolerance = draw < 4_293_918_720 ? (expected / 8192) + (2.0 / (1UL << 39)) : 11;
            Assert.True(Math.Abs(actual - expected) <= tolerance, $"draw {draw}: {actual} vs {expected}");
        }
    }

    [Fact]
    public void Key_StrictlyIncreasesWithTheDraw_AtWeightOne()
    {
        var reciprocal = ExponentialRace.Reciprocal(1);
        var random = new Random(13);
        for (var i = 0; i < 100_000; i++)
        {
            var draw = (uint)random.NextInt64(0, uint.MaxValue);
            Assert.True(ExponentialRace.Key(draw, reciprocal) < ExponentialRace.Key(draw + 1, reciprocal), $"draw {draw}");
        }
    }

    [Theory]
    [InlineData(1UL << 30)]
    [InlineData(1UL << 40)]
    [InlineData((1UL << 44) - 1)]
    public void DrawsBelow_CountsTheDrawsWhoseKeyIsBelowTheEnd(ulong end)
    {
        foreach (var weight in new[] { 1, 50, 100 })
        {
            var reciprocal = ExponentialRace.Reciprocal(weight);
            var count = ExponentialRace.DrawsBelow(end, reciprocal);
            if (count > 0)
            {
                Assert.True(ExponentialRace.Key((uint)(count - 1), reciprocal) < end);
            }

            if (count <= uint.MaxValue)
            {
                Assert.True(ExponentialRace.Key((uint)count, reciprocal) >= end);
            }
        }
    }

    [Fact]
    public void FirstArrivals_ComeInProportionToTheWeights()
    {
        // Three hosts with weights 10, 30 and 60 race for 200,000 buckets: each comes first in
        // its weight's share of them, within 5 standard deviations.
        int[] weights = [10, 30, 60];
        var firsts = new int[weights.Length];
        const int buckets = 200_000;
        for (var bucket = 0; bucket < buckets; bucket++)
        {
            var best = 0;
            var bestKey = ulong.MaxValue;
            for (var h = 0; h < weights.Length; h++)
            {
                var key = ExponentialRace.Key(RendezvousHash.Draw(RendezvousHash.HostKey(h + 1), bucket), ExponentialRace.Reciprocal(weights[h]));
                if (key < bestKey)
                {
                    (best, bestKey) = (h, key);
                }
            }

            firsts[best]++;
        }

        for (var h = 0; h < weights.Length; h++)
        {
            var p = weights[h] / 100.0;
            var sd = Math.Sqrt(buckets * p * (1 - p));
            Assert.True(Math.Abs(firsts[h] - (buckets * p)) < 5 * sd, $"host {h + 1}: {firsts[h]} firsts, expected {buckets * p}");
        }
    }
}
