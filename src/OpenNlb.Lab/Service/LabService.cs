namespace OpenNlb.Lab.Service;

/// <summary>
/// The service every lab host runs (`nlb lab serve --name h2`): HTTP on TCP 80 and 8080 and a UDP
/// answerer on port 7, both bound to 0.0.0.0 so that they answer on the VIP and on the DIP, both replying with
/// the host's name, so a client sees which host took its connection.
/// </summary>
public static class LabService
{
    public const int HttpPort = 80;

    /// <summary>A second HTTP port, covered in the lab by a port rule with single affinity.</summary>
    public const int StickyHttpPort = 8080;
    public const int UdpPort = 7;

    /// <summary>Serves until cancelled; throws if a port cannot be bound.</summary>
    public static async Task RunAsync(string name, int httpPort, int udpPort, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        // One server failing (a port already taken) stops the other: a half service is no service.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task[] servers =
        [
            new HttpNameServer(name, httpPort, log).RunAsync(stop.Token),
            new UdpNameServer(name, udpPort, log).RunAsync(stop.Token),
            .. httpPort == StickyHttpPort ? Array.Empty<Task>() : [new HttpNameServer(name, StickyHttpPort, log).RunAsync(stop.Token)],
        ];
        _ = await Task.WhenAny(servers);
        await stop.CancelAsync();
        await Task.WhenAll(servers);
        log.WriteLine($"{name}: stopped");
    }
}
