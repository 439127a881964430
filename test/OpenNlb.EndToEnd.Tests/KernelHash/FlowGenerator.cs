using System.Net;
using System.Net.Sockets;
using OpenNlb.Core.Configuration;

namespace OpenNlb.EndToEnd.Tests.KernelHash;

/// <summary>
/// Makes the kernel create one conntrack entry per (client, rule) with real sockets: a UDP datagram,
/// or a TCP connection that the server accepts and closes. Runs inside the test namespace.
/// </summary>
internal static class FlowGenerator
{
    public static List<KernelFlow> Generate(
        IPAddress server, IReadOnlyList<HashRule> rules, IReadOnlyList<IPEndPoint> udpClients, IReadOnlyList<IPEndPoint> tcpClients)
    {
        var udpRules = rules.Where(rule => rule.Transport == Protocol.Udp).ToList();
        var tcpRules = rules.Where(rule => rule.Transport == Protocol.Tcp).ToList();
        var flows = new List<KernelFlow>((udpClients.Count * udpRules.Count) + (tcpClients.Count * tcpRules.Count));

        // Listeners keep the kernel from answering every datagram with an ICMP port unreachable.
        var listeners = udpRules.Select(rule => Bound(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp,
            new IPEndPoint(server, rule.DestinationPort))).ToList();
        try
        {
            byte[] payload = [0x4E];
            foreach (var client in udpClients)
            {
                using var socket = Bound(client.AddressFamily, SocketType.Dgram, ProtocolType.Udp, client);
                foreach (var rule in udpRules)
                {
                    socket.SendTo(payload, new IPEndPoint(server, rule.DestinationPort));
                    flows.Add(new KernelFlow(rule, client));
                }
            }
        }
        finally
        {
            listeners.ForEach(listener => listener.Dispose());
        }

        // TCP needs a listener: conntrack drops an entry at once when the only reply is a reset.
        var tcpListeners = tcpRules.ToDictionary(rule => rule, rule => Listening(server, rule.DestinationPort));
        try
        {
            foreach (var client in tcpClients)
            {
                foreach (var rule in tcpRules)
                {
                    using var socket = Bound(client.AddressFamily, SocketType.Stream, ProtocolType.Tcp, client);
                    socket.Connect(new IPEndPoint(server, rule.DestinationPort));

                    // The server closes first, so the TIME_WAIT is on its side and the client's address
                    // and port are free again for the next rule at once.
                    tcpListeners[rule].Accept().Dispose();
                    flows.Add(new KernelFlow(rule, client));
                }
            }
        }
        finally
        {
            foreach (var listener in tcpListeners.Values)
            {
                listener.Dispose();
            }
        }

        return flows;
    }

    private static Socket Listening(IPAddress server, ushort port)
    {
        var listener = Bound(server.AddressFamily, SocketType.Stream, ProtocolType.Tcp, new IPEndPoint(server, port));
        listener.Listen(16);
        return listener;
    }

    private static Socket Bound(AddressFamily family, SocketType type, ProtocolType protocol, IPEndPoint local)
    {
        var socket = new Socket(family, type, protocol);
        try
        {
            // The same client address and port connects once per TCP rule in a row.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(local);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
