using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OpenNlb.Linux.Sockets;

/// <summary>
/// The UDP socket heartbeats travel on: bound to the heartbeat port on the cluster interface only,
/// sending to the cluster network's broadcast address so that no peer list is needed.
/// </summary>
public sealed class HeartbeatSocket : IDisposable
{
    private const int SOL_SOCKET = 1;
    private const int SO_BINDTODEVICE = 25;

    private readonly Socket _socket;
    private readonly IPEndPoint _destination;

    public HeartbeatSocket(string interfaceName, IPAddress broadcast, int port)
    {
        _destination = new IPEndPoint(broadcast, port);
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _socket.EnableBroadcast = true;
            _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);

            // Only the cluster network carries heartbeats; a host with several networks must not
            // hear (or answer) a heartbeat that arrived anywhere else.
            var device = Encoding.ASCII.GetBytes(interfaceName + "\0");
            _socket.SetRawSocketOption(SOL_SOCKET, SO_BINDTODEVICE, device);
            _socket.Bind(new IPEndPoint(IPAddress.Any, port));
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    /// <summary>Sends at once, from the caller's thread: a UDP send to the local segment does not block.</summary>
    public int Send(ReadOnlySpan<byte> datagram) => _socket.SendTo(datagram, SocketFlags.None, _destination);

    public ValueTask<int> SendAsync(ReadOnlyMemory<byte> datagram, CancellationToken ct) =>
        _socket.SendToAsync(datagram, SocketFlags.None, _destination, ct);

    public async ValueTask<int> ReceiveAsync(Memory<byte> buffer, CancellationToken ct)
    {
        var result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), ct);
        return result.ReceivedBytes;
    }

    /// <summary>
    /// Blocks for at most <paramref name="timeout"/>; 0 when nothing came. For a receiving thread
    /// of its own, which the thread pool cannot starve while the daemon's loop is busy.
    /// </summary>
    public int Receive(Span<byte> buffer, TimeSpan timeout)
    {
        _socket.ReceiveTimeout = (int)timeout.TotalMilliseconds;
        try
        {
            return _socket.Receive(buffer, SocketFlags.None);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.TimedOut or SocketError.WouldBlock)
        {
            return 0;
        }
    }

    /// <summary>Whether a datagram waits to be read (FIONREAD): none means every one that arrived was read.</summary>
    public bool HasPending => _socket.Available > 0;

    public void Dispose() => _socket.Dispose();
}
