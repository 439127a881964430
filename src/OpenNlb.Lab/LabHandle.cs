using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Status;
using OpenNlb.Lab.Control;
using OpenNlb.Lab.Interop;
using OpenNlb.Lab.Model;
using OpenNlb.Lab.Processes;
using OpenNlb.Lab.Service;
using OpenNlb.Linux.Processes;

namespace OpenNlb.Lab;

/// <summary>
/// A lab that is up. Disposing it tears it down (namespaces, processes, state directory), so
/// `await using var lab = await Labs.UpAsync(...)` leaves nothing behind, also when a test fails.
/// </summary>
public sealed class LabHandle : IAsyncDisposable
{
    private static readonly TimeSpan DefaultProbeTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan DefaultExitTimeout = TimeSpan.FromSeconds(10);

    private readonly Lock gate = new();
    private readonly Dictionary<int, Process> nlbdProcesses = [];
    private readonly Dictionary<int, Process> serviceProcesses = [];
    private bool down;

    internal LabHandle(LabDescription description)
    {
        Description = description;
        Paths = new LabPaths(description.Name);
    }

    public LabDescription Description { get; }

    public LabPaths Paths { get; }

    public string Name => Description.Name;

    public OperationMode Mode => Description.Mode;

    public IPAddress Vip => Description.Vip;

    public IReadOnlyList<LabNode> Hosts => [.. Description.Hosts];

    public IReadOnlyList<LabNode> Clients => [.. Description.Clients];

    /// <summary>The node called <paramref name="node"/> (sw, h1, c2, ...).</summary>
    public LabNode Node(string node) =>
        Description.Find(node) ?? throw new LabException($"lab '{Name}' has no node '{node}' (it has {string.Join(", ", Description.Nodes.Select(n => n.Name))})");

    public LabNode Host(int host) => Node(LabNames.Host(host));

    public LabNode Client(int client) => Node(LabNames.Client(client));

    /// <summary>Host i's dedicated IP, 192.0.2.(10 + i).</summary>
    public IPAddress HostDip(int host) => Host(host).Address!.Value.Address;

    /// <summary>Client j's own address, 192.0.2.(200 + j).</summary>
    public IPAddress ClientAddress(int client) => Client(client).Address!.Value.Address;

    /// <summary>Runs a command inside a node (like `nlb lab exec`); a non-zero exit is returned, a timeout thrown.</summary>
    public Task<CommandResult> ExecAsync(string node, IReadOnlyList<string> argv, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        CommandRunner.RunAsync("ip", ["netns", "exec", Node(node).Namespace, .. argv], timeout, null, cancellationToken);

    /// <summary>A socket created inside the node's namespace, usable from any thread.</summary>
    public Socket OpenSocket(string node, SocketType type, ProtocolType protocol) =>
        NetNamespace.OpenSocket(Node(node).Namespace, AddressFamily.InterNetwork, type, protocol);

    /// <summary>GET http://target/ from a node (optionally from one of its extra addresses); returns the name of the host that answered.</summary>
    public Task<string> HttpGetAsync(string fromNode, IPAddress target, IPAddress? source = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default, int port = LabService.HttpPort) =>
        LabProbe.HttpGetAsync(Node(fromNode).Namespace, target, port, source, timeout ?? DefaultProbeTimeout, cancellationToken);

    /// <summary>Sends one datagram to target:7 from a node; returns the name of the host that answered.</summary>
    public Task<string> UdpAskAsync(string fromNode, IPAddress target, int payloadBytes = 16, IPAddress? source = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        LabProbe.UdpAskAsync(Node(fromNode).Namespace, target, LabService.UdpPort, payloadBytes, source, timeout ?? DefaultProbeTimeout, cancellationToken);

    /// <summary>
    /// Starts nlbd on host i with its generated configuration (also in a lab built without nlbd),
    /// with its control socket at <see cref="LabPaths.ControlSocket"/> when this nlbd has one
    /// (<see cref="NlbdFeatures"/>; one built before the control socket would refuse the option).
    /// </summary>
    public void StartNlbd(int host)
    {
        var node = Host(host);
        if (IsNlbdRunning(host))
        {
            throw new LabException($"nlbd of {node.Name} is already running (pid {NlbdProcessId(host)})");
        }

        var nlbd = Description.NlbdPath ?? ToolLocator.FindNlbd(null);
        var config = Paths.Config(host);
        if (!File.Exists(config))
        {
            NlbdConfigWriter.Save(config, NlbdConfigWriter.Write(Name, Mode, host, NlbdConfigWriter.KeyOf(Paths, Hosts.Select(h => h.HostPriority))));
        }

        // A state file (or socket) left by an earlier run would read as this run's.
        File.Delete(Paths.StateFile(host));
        File.Delete(Paths.ControlSocket(host));
        string[] control = NlbdFeatures.AcceptsControlSocket(nlbd) ? [NlbdFeatures.ControlSocketOption, Paths.ControlSocket(host)] : [];
        Start(nlbdProcesses, host, node, [nlbd, "--config", config, "--state-file", Paths.StateFile(host), "--runtime-dir", Paths.NlbdRuntime(host), .. control], Paths.NlbdLog(host), Paths.NlbdPid(host));
    }

    /// <summary>Whether host i's nlbd has a control socket (it runs, and its socket file exists).</summary>
    public bool HasControlSocket(int host) => IsNlbdRunning(host) && ControlClient.Exists(Paths.ControlSocket(host));

    /// <summary>
    /// Sends one request (one line of JSON, e.g. `{"command":"drainstop","timeoutSeconds":30}`) to
    /// host i's nlbd over its control socket and returns the response line.
    /// </summary>
    public Task<string> ControlAsync(int host, string requestJson, CancellationToken cancellationToken = default) =>
        ControlClient.SendAsync(Paths.ControlSocket(host), requestJson, ControlClient.DefaultTimeout, cancellationToken);

    /// <summary>As <see cref="ControlAsync(int, string, CancellationToken)"/>, typed; an answer that is not ok throws, naming the error.</summary>
    public async Task<ControlResponse> ControlAsync(int host, ControlRequest request, CancellationToken cancellationToken = default)
    {
        var json = request.ToJson();
        var response = ControlResponse.Parse(await ControlAsync(host, json, cancellationToken));
        return response.Ok ? response : throw new LabException($"nlbd of h{host} refused {json}: {response.Error ?? "no error given"}");
    }

    /// <summary>Starts host i's lab service (`nlb lab serve --name hi`).</summary>
    internal void StartService(int host)
    {
        var node = Host(host);
        Start(serviceProcesses, host, node, [Description.NlbPath, "lab", "serve", "--name", node.Name], Paths.ServiceLog(host), Paths.ServicePid(host));
    }

    public int? NlbdProcessId(int host) => ProcessState.ReadPidFile(Paths.NlbdPid(host));

    public bool IsNlbdRunning(int host) => IsRunning(host, nlbdProcesses, Paths.NlbdPid(host));

    internal bool IsServiceRunning(int host) => IsRunning(host, serviceProcesses, Paths.ServicePid(host));

    /// <summary>The exit code of nlbd or of the service of host i if this handle started it and it has exited.</summary>
    internal int? ExitCode(int host, bool nlbd)
    {
        lock (gate)
        {
            return (nlbd ? nlbdProcesses : serviceProcesses).TryGetValue(host, out var p) && p.HasExited ? p.ExitCode : null;
        }
    }

    /// <summary>Sends a signal to host i's nlbd without waiting (SIGSTOP to freeze it, SIGCONT to thaw it).</summary>
    public void SignalNlbd(int host, Signal signal)
    {
        var pid = RunningNlbd(host);
        if (!ProcessState.Send(pid, signal))
        {
            throw new LabException($"nlbd of h{host} (pid {pid}) is gone");
        }
    }

    /// <summary>
    /// Sends a signal to host i's nlbd (SIGTERM: it cleans up and exits 0; SIGKILL: a crash) and
    /// waits for it to exit. Returns its exit code when this handle started it, else null.
    /// </summary>
    public async Task<int?> KillNlbdAsync(int host, Signal signal = Signal.SIGTERM, TimeSpan? timeout = null)
    {
        if (signal is Signal.SIGSTOP or Signal.SIGCONT)
        {
            throw new ArgumentException($"{signal} does not end a process; use {nameof(SignalNlbd)}", nameof(signal));
        }

        var pid = RunningNlbd(host);
        _ = ProcessState.Send(pid, signal);
        if (signal == Signal.SIGTERM || signal == Signal.SIGINT)
        {
            _ = ProcessState.Send(pid, Signal.SIGCONT);
        }

        var wait = timeout ?? DefaultExitTimeout;
        if ((await ProcessState.WaitForExitAsync([pid], wait)).Count > 0)
        {
            throw new TimeoutException($"nlbd of h{host} (pid {pid}) still runs {wait.TotalSeconds:0.#} s after {signal}");
        }

        Process? process;
        lock (gate)
        {
            _ = nlbdProcesses.Remove(host, out process);
        }

        if (process is null)
        {
            return null;
        }

        using (process)
        {
            await process.WaitForExitAsync();
            return process.ExitCode;
        }
    }

    /// <summary>Takes host i's port on the bridge down: the cable is pulled.</summary>
    public Task SetLinkDownAsync(int host, CancellationToken cancellationToken = default) => SetLinkAsync(host, "down", cancellationToken);

    /// <summary>Brings host i's port on the bridge back up.</summary>
    public Task SetLinkUpAsync(int host, CancellationToken cancellationToken = default) => SetLinkAsync(host, "up", cancellationToken);

    /// <summary>What host i's nlbd last wrote to its state file, or null.</summary>
    public HostStatus? ReadStatus(int host) => HostStatusReader.Read(Paths.StateFile(host));

    public Task<LabStatus> StatusAsync(CancellationToken cancellationToken = default) =>
        LabInspector.StatusAsync(Description, cancellationToken);

    /// <summary>Tears the lab down; idempotent.</summary>
    public async Task<TeardownReport> DownAsync(CancellationToken cancellationToken = default)
    {
        var report = await LabTeardown.DownAsync(Name, cancellationToken);
        lock (gate)
        {
            down = true;
            foreach (var process in nlbdProcesses.Values.Concat(serviceProcesses.Values))
            {
                process.Dispose();
            }

            nlbdProcesses.Clear();
            serviceProcesses.Clear();
        }

        return report;
    }

    public async ValueTask DisposeAsync()
    {
        bool wasDown;
        lock (gate)
        {
            wasDown = down;
        }

        if (!wasDown)
        {
            _ = await DownAsync(CancellationToken.None);
        }
    }

    private void Start(Dictionary<int, Process> processes, int host, LabNode node, IReadOnlyList<string> argv, string log, string pidFile)
    {
        var process = DetachedProcess.Start(node.Namespace, argv, log);
        File.WriteAllText(pidFile, process.Id + "\n");
        lock (gate)
        {
            if (processes.Remove(host, out var old))
            {
                old.Dispose();
            }

            processes[host] = process;
        }
    }

    private bool IsRunning(int host, Dictionary<int, Process> processes, string pidFile)
    {
        lock (gate)
        {
            // Between its start and its `ip netns exec`, our own child is alive but not yet in the namespace.
            if (processes.TryGetValue(host, out var process))
            {
                return !process.HasExited;
            }
        }

        return ProcessState.ReadPidFile(pidFile) is { } pid
            && NetNamespace.Inode(Host(host).Namespace) is { } inode
            && ProcessState.IsRunningIn(pid, inode);
    }

    private int RunningNlbd(int host) =>
        IsNlbdRunning(host) && NlbdProcessId(host) is { } pid
            ? pid
            : throw new LabException($"nlbd of h{host} is not running");

    private Task SetLinkAsync(int host, string state, CancellationToken cancellationToken) =>
        Ip.RunAsync(Node(LabNames.Switch).Namespace, ["link", "set", Host(host).Name, state], cancellationToken);
}
