using System.Buffers.Binary;

namespace OpenNlb.Core.Membership;

/// <summary>
/// Reads big-endian fields from untrusted bytes, checking the length before each one. A read past
/// the end returns zero and sets <see cref="Overrun"/>, which stays set: a parser reads a group of
/// fields and then asks once, instead of branching on every field, and never throws.
/// </summary>
internal ref struct WireReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public WireReader(ReadOnlySpan<byte> data) => _data = data;

    public readonly int Remaining => _data.Length - _position;

    public bool Overrun { readonly get; private set; }

    public byte Byte() => Has(1) ? _data[_position++] : (byte)0;

    public ushort UInt16() => Has(2) ? BinaryPrimitives.ReadUInt16BigEndian(Take(2)) : (ushort)0;

    public uint UInt32() => Has(4) ? BinaryPrimitives.ReadUInt32BigEndian(Take(4)) : 0;

    public ulong UInt64() => Has(8) ? BinaryPrimitives.ReadUInt64BigEndian(Take(8)) : 0;

    public ReadOnlySpan<byte> Bytes(int count) => Has(count) ? Take(count) : [];

    public void Skip(int count)
    {
        if (Has(count))
        {
            _position += count;
        }
    }

    private bool Has(int count)
    {
        if (!Overrun && count >= 0 && count <= Remaining)
        {
            return true;
        }

        Overrun = true;
        return false;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        var span = _data.Slice(_position, count);
        _position += count;
        return span;
    }
}
