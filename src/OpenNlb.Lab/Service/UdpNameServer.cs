using System.Net;
using System.Net.Sockets;
using System.Text;
using OpenNlb.Lab.Interop;

namespace OpenNlb.Lab.Service;

/// <summary>
/// Answers every datagram on a UDP port with the host's name, from the address it was sent to (the
/// VIP or the DIP). Takes datagrams up to 64 KiB, so fragmented ones reassembled by the kernel work.
/// A datagram that starts with <see cref="SequencePrefix"/> gets its first line echoed after the
/// name ("h2 seq=17"), so that a client sending many datagrams on one flow can tell which datagram
/// each answer is for, and so count a datagram answered twice or not at all.
/// </summary>
internal sealed class UdpNameServer(string name, int port, TextWriter log)
{
    /// <summary>What a datagram starts with to have its first line echoed.</summary>
    public const string SequencePrefix = "seq=";

    private const int MaxDatagram = 65536;

    /// <summary>The most of a datagram that is echoed: a sequence number needs a few bytes.</summary>
    private const int MaxEcho = 64;
    private const int BufferBytes = 4 << 20;

    private readonly byte[] reply = Encoding.ASCII.GetBytes(name + "\n");

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.ReceiveBufferSize = BufferBytes;
        socket.SendBufferSize = BufferBytes;
        socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true);
        socket.Bind(new IPEndPoint(IPAddress.Any, port));
        log.WriteLine($"{name}: UDP on 0.0.0.0:{port}");
        var loops = Enumerable.Range(0, Math.Max(2, Environment.ProcessorCount))
            .Select(_ => ReceiveLoopAsync(socket, cancellationToken));
        await Task.WhenAll(loops);
    }

    private async Task ReceiveLoopAsync(Socket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxDatagram];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!cancellationToken.IsCancellationRequested)
        {
            SocketReceiveMessageFromResult received;
            try
            {
                received = await socket.ReceiveMessageFromAsync(buffer, SocketFlags.None, any, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException e)
            {
                // An ICMP error queued on the socket by an earlier answer; not fatal.
                log.WriteLine($"{name}: UDP receive failed: {e.SocketErrorCode}");
                continue;
            }

            var answer = AnswerTo(buffer.AsSpan(0, received.ReceivedBytes));
            await AnswerAsync(socket, answer, (IPEndPoint)received.RemoteEndPoint, received.PacketInformation.Address);
        }
    }

    /// <summary>The name, followed by the first line of a datagram that asks for an echo.</summary>
    private byte[] AnswerTo(ReadOnlySpan<byte> datagram)
    {
        if (!datagram.StartsWith("seq="u8))
        {
            return reply;
        }

        var line = datagram[..Math.Min(datagram.Length, MaxEcho)];
        var end = line.IndexOfAny((byte)'\n', (byte)'\r');
        return [.. reply.AsSpan(0, reply.Length - 1), (byte)' ', .. end < 0 ? line : line[..end], (byte)'\n'];
    }

    private async Task AnswerAsync(Socket socket, byte[] reply, IPEndPoint client, IPAddress localAddress)
    {
        // A full send buffer is the only transient failure; a few short waits, then drop, like UDP.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var errno = PktInfoSender.SendTo(socket, reply, client, localAddress);
            if (errno != Libc.EAGAIN)
            {
                if (errno != 0)
                {
                    log.WriteLine($"{name}: UDP answer from {localAddress} to {client} failed: errno {errno}");
                }

                return;
            }

            await Task.Delay(1);
        }
    }
}
