using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace OpenNlb.Lab.Interop;

/// <summary>
/// sendmsg(2) with an IP_PKTINFO control message that sets the source address. A UDP socket bound to
/// 0.0.0.0 would otherwise answer a datagram sent to the VIP from the DIP (the route's preferred
/// source), and a client that connected its socket to the VIP would drop the answer.
/// </summary>
internal static class PktInfoSender
{
    private const int SockAddrInSize = 16;
    private const int CmsgHeaderSize = 16;      // size_t cmsg_len, int cmsg_level, int cmsg_type
    private const int PktInfoSize = 12;         // int ipi_ifindex, in_addr ipi_spec_dst, in_addr ipi_addr
    private const int ControlSize = 32;         // CMSG_SPACE(12) on LP64

    /// <summary>Sends; returns 0, or the errno (EAGAIN when the send buffer is full).</summary>
    public static unsafe int SendTo(Socket socket, ReadOnlySpan<byte> payload, IPEndPoint to, IPAddress from)
    {
        var sockaddr = stackalloc byte[SockAddrInSize];
        new Span<byte>(sockaddr, SockAddrInSize).Clear();
        MemoryMarshal.Write(new Span<byte>(sockaddr, 2), (ushort)AddressFamily.InterNetwork);
        BinaryPrimitives.WriteUInt16BigEndian(new Span<byte>(sockaddr + 2, 2), (ushort)to.Port);
        _ = to.Address.TryWriteBytes(new Span<byte>(sockaddr + 4, 4), out _);

        var control = stackalloc byte[ControlSize];
        new Span<byte>(control, ControlSize).Clear();
        MemoryMarshal.Write(new Span<byte>(control, 8), (nuint)(CmsgHeaderSize + PktInfoSize));
        MemoryMarshal.Write(new Span<byte>(control + 8, 4), Libc.IPPROTO_IP);
        MemoryMarshal.Write(new Span<byte>(control + 12, 4), Libc.IP_PKTINFO);
        _ = from.TryWriteBytes(new Span<byte>(control + CmsgHeaderSize + 4, 4), out _);   // ipi_spec_dst

        var added = false;
        var handle = socket.SafeHandle;
        try
        {
            handle.DangerousAddRef(ref added);
            fixed (byte* data = payload)
            {
                var iov = new Libc.IoVec { Base = data, Length = (nuint)payload.Length };
                var message = new Libc.MsgHdr
                {
                    Name = sockaddr,
                    NameLength = SockAddrInSize,
                    Iov = &iov,
                    IovLength = 1,
                    Control = control,
                    ControlLength = ControlSize,
                };
                return Libc.SendMsg((int)handle.DangerousGetHandle(), &message, Libc.MSG_NOSIGNAL) >= 0
                    ? 0
                    : Marshal.GetLastPInvokeError();
            }
        }
        finally
        {
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }
}
