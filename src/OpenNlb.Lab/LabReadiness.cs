using System.Net.Sockets;
using OpenNlb.Lab.Model;

namespace OpenNlb.Lab;

/// <summary>What `up` waits for, bounded: every service answering on its DIP, every nlbd writing its state file.</summary>
internal static class LabReadiness
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// HTTP and UDP on every host's DIP answer with the host's name, asked from the first client
    /// (through the switch), or from the host itself in a lab without clients.
    /// </summary>
    public static Task WaitForServicesAsync(LabHandle lab, DateTime deadline, CancellationToken cancellationToken) =>
        Task.WhenAll(lab.Hosts.Select(async host =>
        {
            var from = lab.Clients.Count > 0 ? lab.Clients[0].Name : host.Name;
            var dip = host.Address!.Value.Address;
            Exception? last = null;
            while (true)
            {
                if (lab.ExitCode(host.HostPriority, nlbd: false) is { } code)
                {
                    throw new LabException($"the lab service of {host.Name} exited with code {code} before answering; {LogTail(lab.Paths.ServiceLog(host.HostPriority))}");
                }

                try
                {
                    var http = await lab.HttpGetAsync(from, dip, null, ProbeTimeout, cancellationToken);
                    var udp = await lab.UdpAskAsync(from, dip, 16, null, ProbeTimeout, cancellationToken);
                    if (http == host.Name && udp == host.Name)
                    {
                        return;
                    }

                    throw new LabException($"{dip} answered '{http}' over HTTP and '{udp}' over UDP, not '{host.Name}'");
                }
                catch (Exception e) when (e is IOException or SocketException or TimeoutException)
                {
                    last = e;
                }

                if (DateTime.UtcNow >= deadline)
                {
                    throw new LabException($"the lab service of {host.Name} did not answer on {dip} from {from} in time ({last?.Message}); {LogTail(lab.Paths.ServiceLog(host.HostPriority))}");
                }

                await Task.Delay(PollInterval, cancellationToken);
            }
        }));

    /// <summary>Every nlbd is alive and has written its state file once.</summary>
    public static Task WaitForNlbdAsync(LabHandle lab, DateTime deadline, CancellationToken cancellationToken) =>
        Task.WhenAll(lab.Hosts.Select(async host =>
        {
            var i = host.HostPriority;
            while (lab.ReadStatus(i) is null)
            {
                if (lab.ExitCode(i, nlbd: true) is { } code)
                {
                    throw new LabException($"nlbd of {host.Name} exited with code {code} right after it started; {LogTail(lab.Paths.NlbdLog(i))}");
                }

                if (DateTime.UtcNow >= deadline)
                {
                    throw new LabException($"nlbd of {host.Name} wrote no state file to {lab.Paths.StateFile(i)} in time; {LogTail(lab.Paths.NlbdLog(i))}");
                }

                await Task.Delay(PollInterval, cancellationToken);
            }
        }));

    private static string LogTail(string path)
    {
        try
        {
            var lines = File.ReadAllLines(path);
            return lines.Length == 0
                ? $"its log {path} is empty"
                : $"the end of its log {path}:\n  " + string.Join("\n  ", lines.TakeLast(10));
        }
        catch (IOException)
        {
            return $"no log at {path}";
        }
    }
}
