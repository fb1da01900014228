using System.Security.Cryptography;

namespace Weir.Templates.Crypto;

/// <summary>
/// A <see cref="Random"/> drawing from the operating system's cryptographic generator, safe for concurrent use:
/// the default random source, so <c>randAlphaNum</c> passwords, <c>uuidv4</c>, <c>randBytes</c>, AES IVs and
/// certificate serials are unpredictable unless a test injects a seeded <see cref="Random"/>.
/// </summary>
public sealed class CryptoRandom : Random
{
    public static CryptoRandom Instance { get; } = new();

    private CryptoRandom()
    {
    }

    public override int Next() => RandomNumberGenerator.GetInt32(int.MaxValue);

    public override int Next(int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return maxValue <= 1 ? 0 : RandomNumberGenerator.GetInt32(maxValue);
    }

    public override int Next(int minValue, int maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        return maxValue - minValue <= 1 ? minValue : RandomNumberGenerator.GetInt32(minValue, maxValue);
    }

    public override long NextInt64() => NextInt64(0, long.MaxValue);

    public override long NextInt64(long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxValue);
        return NextInt64(0, maxValue);
    }

    public override long NextInt64(long minValue, long maxValue)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minValue, maxValue);
        var range = unchecked((ulong)(maxValue - minValue));
        if (range <= 1)
        {
            return minValue;
        }

        // Rejection sampling keeps every value equally likely.
        var limit = ulong.MaxValue - (((ulong.MaxValue % range) + 1) % range);
        ulong r;
        do
        {
            r = NextUInt64();
        }
        while (r > limit);

        return unchecked(minValue + (long)(r % range));
    }

    public override double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    public override float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1U << 24));

    public override void NextBytes(byte[] buffer) => RandomNumberGenerator.Fill(buffer);

    public override void NextBytes(Span<byte> buffer) => RandomNumberGenerator.Fill(buffer);

    protected override double Sample() => NextDouble();

    private static ulong NextUInt64()
    {
        Span<byte> b = stackalloc byte[8];
        RandomNumberGenerator.Fill(b);
        return BitConverter.ToUInt64(b);
    }
}
