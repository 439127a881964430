using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace OpenNlb.Core.Membership;

/// <summary>
/// The secret every host of a cluster shares: heartbeats and hand-overs carry an HMAC-SHA256 tag
/// made with it, so a datagram from anyone without the key is refused as forged. The key never
/// appears in text: <see cref="ToString"/> shows only a short id that tells two keys apart.
/// </summary>
[SuppressMessage("Design", "CA1001", Justification = "The MAC state lives as long as the key, which lives as long as the process; its SafeHandle frees it when collected.")]
public sealed class ClusterKey : IEquatable<ClusterKey>
{
    /// <summary>128 bits: less would let an attacker guess.</summary>
    public const int MinLength = 16;

    /// <summary>Bounds what a configuration or key file can make us hold; real keys are 32 bytes.</summary>
    public const int MaxLength = 1024;

    /// <summary>The command the error messages and docs give for making a key.</summary>
    public const string HowToMake = "make one with `head -c 32 /dev/urandom | base64`";

    private const int MaxTextLength = ((MaxLength + 2) / 3 * 4) + 64;

    private readonly byte[] _bytes;

    // One MAC state per key, reused: deriving it anew for each datagram (HMACSHA256.HashData)
    // costs about three times as much. Locked: nlbd sends and receives on different threads.
    private readonly IncrementalHash _mac;
    private readonly Lock _gate = new();

    public ClusterKey(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length is < MinLength or > MaxLength)
        {
            throw new ArgumentException($"a cluster key has {MinLength} to {MaxLength} bytes, got {bytes.Length}", nameof(bytes));
        }

        _bytes = bytes.ToArray();
        _mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, _bytes);
    }

    public int Length => _bytes.Length;

    /// <summary>
    /// 8 hex digits of SHA-256 over a label and the key: the same on hosts that share the key, so
    /// logs can show whether two hosts hold the same key without showing the key.
    /// </summary>
    public string Id
    {
        get
        {
            var label = "opennlb-key-id:"u8;
            Span<byte> input = stackalloc byte[label.Length + _bytes.Length];
            label.CopyTo(input);
            _bytes.CopyTo(input[label.Length..]);
            return Convert.ToHexStringLower(SHA256.HashData(input).AsSpan(0, 4));
        }
    }

    /// <summary>
    /// Reads a key written in base64 (surrounding whitespace, such as a key file's final newline,
    /// is ignored). The problem says what is wrong and how to make a key, never what the text was.
    /// </summary>
    public static bool TryFromBase64(string text, out ClusterKey? key, out string problem)
    {
        ArgumentNullException.ThrowIfNull(text);
        key = null;
        var trimmed = text.AsSpan().Trim();

        // Base64 needs 4 characters per 3 bytes (whitespace inside is allowed and skipped); a
        // longer text cannot be a key of allowed length.
        if (trimmed.Length > MaxTextLength)
        {
            problem = $"is too long for a key of at most {MaxLength} bytes";
            return false;
        }

        Span<byte> bytes = stackalloc byte[(MaxTextLength / 4 * 3) + 3];
        if (!Convert.TryFromBase64Chars(trimmed, bytes, out var written))
        {
            problem = $"is not base64; {HowToMake}";
            return false;
        }

        if (written < MinLength)
        {
            problem = $"decodes to {written} bytes; a cluster key needs at least {MinLength}: {HowToMake}";
            return false;
        }

        if (written > MaxLength)
        {
            problem = $"decodes to {written} bytes; a cluster key has at most {MaxLength}";
            return false;
        }

        key = new ClusterKey(bytes[..written]);
        CryptographicOperations.ZeroMemory(bytes);
        problem = "";
        return true;
    }

    /// <summary>Like <see cref="TryFromBase64"/>, for text that must hold a key (tests, the lab).</summary>
    public static ClusterKey FromBase64(string text) =>
        TryFromBase64(text, out var key, out var problem) ? key! : throw new FormatException($"the cluster key {problem}");

    public string ToBase64() => Convert.ToBase64String(_bytes);

    /// <summary>Writes the 16-byte tag of <paramref name="data"/>: HMAC-SHA256 truncated to its first 16 bytes.</summary>
    internal void Sign(ReadOnlySpan<byte> data, Span<byte> tag)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Mac(data, mac);
        mac[..WireFormat.TagSize].CopyTo(tag);
    }

    /// <summary>Whether <paramref name="tag"/> is the tag of <paramref name="data"/>, compared in constant time.</summary>
    internal bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> tag)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        Mac(data, mac);
        return tag.Length == WireFormat.TagSize && CryptographicOperations.FixedTimeEquals(mac[..WireFormat.TagSize], tag);
    }

    private void Mac(ReadOnlySpan<byte> data, Span<byte> mac)
    {
        lock (_gate)
        {
            _mac.AppendData(data);
            _ = _mac.GetHashAndReset(mac);
        }
    }

    public bool Equals(ClusterKey? other) =>
        other is not null && other._bytes.Length == _bytes.Length && CryptographicOperations.FixedTimeEquals(_bytes, other._bytes);

    public override bool Equals(object? obj) => Equals(obj as ClusterKey);

    public override int GetHashCode() => _bytes.Length;

    /// <summary>Never the key: records that hold one print this, and records end up in logs.</summary>
    public override string ToString() => $"key {Id} ({_bytes.Length} bytes)";
}
