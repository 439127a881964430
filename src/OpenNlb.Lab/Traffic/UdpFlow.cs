using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using OpenNlb.Lab.Service;

namespace OpenNlb.Lab.Traffic;

/// <summary>
/// One UDP flow to VIP:7 (one client port): a numbered datagram every interval ("seq=17"), whose
/// answers ("h2 seq=17") are matched to it, so that a datagram answered by another host than the
/// flow's first, answered twice, or not answered at all is counted as such. The socket is not
/// connected, so an answer from anywhere is seen.
/// </summary>
internal sealed class UdpFlow : IDisposable
{
    private readonly Socket socket;
    private readonly IPEndPoint target;
    private readonly Lock gate = new();
    private readonly Dictionary<long, (TimeSpan SentAt, List<string> Answers)> pending = [];
    private long nextSequence;

    public UdpFlow(LabHandle lab, string node, IPAddress source)
    {
        socket = lab.OpenSocket(node, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(source, 0));
        target = new IPEndPoint(lab.Vip, LabService.UdpPort);
        Name = string.Create(CultureInfo.InvariantCulture, $"udp {source}:{((IPEndPoint)socket.LocalEndPoint!).Port}");
    }

    public string Name { get; }

    public string? FirstHost { get; private set; }

    public long Sent { get; private set; }

    public long AnsweredRight { get; private set; }

    public long WrongHost { get; private set; }

    public long Duplicate { get; private set; }

    public long Unanswered { get; private set; }

    /// <summary>Whether a datagram sent is still without an answer.</summary>
    public bool Waiting
    {
        get
        {
            lock (gate)
            {
                return pending.Values.Any(p => p.Answers.Count == 0);
            }
        }
    }

    /// <summary>Sends one datagram; false if the send failed (counted as unanswered when settled).</summary>
    public async Task SendAsync(Func<TimeSpan> now, CancellationToken cancellationToken)
    {
        long sequence;
        lock (gate)
        {
            sequence = ++nextSequence;
            pending[sequence] = (now(), []);
            Sent++;
        }

        try
        {
            _ = await socket.SendToAsync(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{UdpNameServer.SequencePrefix}{sequence}\n")), target, cancellationToken);
        }
        catch (SocketException)
        {
            // The datagram did not leave: it will be settled as unanswered.
        }
    }

    /// <summary>Receives answers until stopped, matching each to its datagram.</summary>
    public async Task ReceiveAsync(CancellationToken stop)
    {
        var buffer = new byte[512];
        while (!stop.IsCancellationRequested)
        {
            int n;
            try
            {
                n = (await socket.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), stop)).ReceivedBytes;
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                // An ICMP error queued on the socket; the datagram concerned stays unanswered.
                continue;
            }

            // "h2 seq=17\n"
            var text = Encoding.ASCII.GetString(buffer, 0, n).TrimEnd('\n');
            var space = text.IndexOf(' ', StringComparison.Ordinal);
            if (space < 0
                || !text.AsSpan(space + 1).StartsWith(UdpNameServer.SequencePrefix, StringComparison.Ordinal)
                || !long.TryParse(text.AsSpan(space + 1 + UdpNameServer.SequencePrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence))
            {
                continue;
            }

            lock (gate)
            {
                FirstHost ??= text[..space];
                if (pending.TryGetValue(sequence, out var datagram))
                {
                    datagram.Answers.Add(text[..space]);
                }
            }
        }
    }

    /// <summary>Counts every datagram sent before <paramref name="sentBefore"/> and forgets it; returns what went wrong with them.</summary>
    public IReadOnlyList<(TimeSpan SentAt, FlowEventKind Kind, string? Host)> Settle(TimeSpan sentBefore)
    {
        var events = new List<(TimeSpan, FlowEventKind, string?)>();
        lock (gate)
        {
            foreach (var (sequence, (sentAt, answers)) in pending.Where(p => p.Value.SentAt < sentBefore).ToList())
            {
                _ = pending.Remove(sequence);
                if (answers.Count == 0)
                {
                    Unanswered++;
                    events.Add((sentAt, FlowEventKind.UdpUnanswered, null));
                }
                else if (answers.Count > 1)
                {
                    Duplicate++;
                    events.Add((sentAt, FlowEventKind.UdpDuplicate, string.Join('+', answers)));
                }
                else if (answers[0] != FirstHost)
                {
                    WrongHost++;
                    events.Add((sentAt, FlowEventKind.UdpWrongHost, answers[0]));
                }
                else
                {
                    AnsweredRight++;
                }
            }
        }

        return events;
    }

    public void Dispose() => socket.Dispose();
}
