using System.Net;
using System.Net.Sockets;
using System.Text;

namespace OpenNlb.Lab;

/// <summary>
/// Real client flows to the VIP from a lab node, reporting the client port each used, so that the
/// model can be asked about every flow (tests, the demo, the benchmark).
/// </summary>
public static class LabTraffic
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    /// <summary>One HTTP GET over a new TCP connection; returns the client port and the name of the host that answered.</summary>
    public static async Task<(int ClientPort, string Host)> HttpAsync(LabHandle lab, string node, IPAddress source, int port = Service.LabService.HttpPort, int clientPort = 0, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? Timeout);
        using var socket = lab.OpenSocket(node, SocketType.Stream, ProtocolType.Tcp);
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        socket.Bind(new IPEndPoint(source, clientPort));
        clientPort = ((IPEndPoint)socket.LocalEndPoint!).Port;
        await socket.ConnectAsync(new IPEndPoint(lab.Vip, port), deadline.Token);
        return (clientPort, await RequestAsync(socket, deadline.Token));
    }

    /// <summary>One HTTP GET over a connection already open; returns the name of the host that answered.</summary>
    public static async Task<string> RequestAsync(Socket socket, CancellationToken cancellationToken)
    {
        await socket.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: vip\r\nConnection: close\r\n\r\n"), cancellationToken);
        var response = new StringBuilder();
        var buffer = new byte[4096];
        int n;
        while ((n = await socket.ReceiveAsync(buffer, cancellationToken)) > 0)
        {
            response.Append(Encoding.ASCII.GetString(buffer, 0, n));
        }

        var text = response.ToString();
        var body = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return body < 0
            ? throw new IOException($"bad HTTP answer from {socket.RemoteEndPoint}: {text}")
            : text[(body + 4)..].Trim();
    }

    /// <summary>
    /// Sends one datagram of <paramref name="size"/> bytes to VIP:7 and collects every answer that
    /// arrives within <paramref name="listen"/>: a correct cluster gives exactly one.
    /// </summary>
    public static async Task<(int ClientPort, List<string> Answers)> UdpAsync(LabHandle lab, string node, IPAddress source, int size, TimeSpan listen)
    {
        using var socket = lab.OpenSocket(node, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(source, 0));
        var clientPort = ((IPEndPoint)socket.LocalEndPoint!).Port;
        await socket.SendToAsync(new byte[size], new IPEndPoint(lab.Vip, Service.LabService.UdpPort));
        var answers = new List<string>();
        var buffer = new byte[65536];
        using var window = new CancellationTokenSource(listen);
        try
        {
            while (true)
            {
                var r = await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), window.Token);
                answers.Add(Encoding.ASCII.GetString(buffer, 0, r.ReceivedBytes).Trim());
            }
        }
        catch (OperationCanceledException)
        {
            // The listening window is over.
        }

        return (clientPort, answers);
    }
}
