using System.Buffers.Binary;
using System.Net;

namespace OpenNlb.Core.Membership;

/// <summary>Writes big-endian fields into a buffer the caller sized with the codec's SizeOf.</summary>
internal ref struct WireWriter
{
    private readonly Span<byte> _data;

    public WireWriter(Span<byte> data) => _data = data;

    public int Position { readonly get; private set; }

    public void Byte(byte value) => _data[Position++] = value;

    public void UInt16(ushort value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_data[Position..], value);
        Position += 2;
    }

    public void UInt32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_data[Position..], value);
        Position += 4;
    }

    public void UInt64(ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(_data[Position..], value);
        Position += 8;
    }

    public void Bytes(ReadOnlySpan<byte> value)
    {
        value.CopyTo(_data[Position..]);
        Position += value.Length;
    }

    /// <summary>The address's 4 or 16 bytes, without a family: the caller writes that.</summary>
    public void Address(IPAddress address)
    {
        if (!address.TryWriteBytes(_data[Position..], out var written))
        {
            throw new ArgumentException("no room for the address", nameof(address));
        }

        Position += written;
    }
}
