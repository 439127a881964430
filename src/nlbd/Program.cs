using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.Convergence;
using OpenNlb.Core.DataPlane;
using OpenNlb.Core.Hashing;
using OpenNlb.Core.Membership;
using OpenNlb.Linux.Files;
using OpenNlb.Linux.Links;
using OpenNlb.Linux.Processes;
using OpenNlb.Daemon.Control;
using OpenNlb.Daemon.Metrics;
using OpenNlb.Daemon.Service;
using OpenNlb.Linux.Sockets;

namespace OpenNlb.Daemon;

internal static class Program
{
    private const int ExitConfig = 2;
    private const int ExitRuntime = 1;

    private static async Task<int> Main(string[] args)
    {
        if (args is ["--help" or "-h"])
        {
            Console.WriteLine(DaemonOptions.Usage);
            return 0;
        }

        // The loop blocks a pool thread in kernel transactions while hand-over collection, kept-
        // bucket scans and the control socket want others: do not wait for the pool to grow.
        ThreadPool.SetMinThreads(8, 8);

        var options = DaemonOptions.Parse(args, out var usageError);
        if (options is null)
        {
            await Console.Error.WriteLineAsync($"nlbd: {usageError}\n{DaemonOptions.Usage}");
            return ExitConfig;
        }

        var (config, sha256) = await LoadAsync(options.ConfigPath);
        if (config is null)
        {
            return ExitConfig;
        }

        var key = ClusterKeySource.Load(config.Cluster.Heartbeat, out var keyProblem);
        if (key is null)
        {
            await Console.Error.WriteLineAsync($"nlbd: {options.ConfigPath}: {keyProblem}; nothing was changed");
            return ExitConfig;
        }

        // NLBD_LOG_LEVEL=Debug shows every kernel transaction and refused datagram.
        var level = Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("NLBD_LOG_LEVEL"), ignoreCase: true, out var l) ? l : LogLevel.Information;
        var recent = new RecentEvents(TimeProvider.System);
        using var loggers = LogSetup.Create(level, LogSetup.IsStdoutTheJournal(), recent);
        var log = loggers.CreateLogger("nlbd");
        try
        {
            return await RunAsync(config, key, options, log, new ConfigSource(Path.GetFullPath(options.ConfigPath), sha256), recent);
        }
        catch (Exception e)
        {
            Log.Failed(log, e, e.Message);
            return ExitRuntime;
        }
    }

    /// <summary>Reads and validates the configuration; prints every error and returns null if any. With it, the file's SHA-256 (hex).</summary>
    private static async Task<(NlbConfig? Config, string Sha256)> LoadAsync(string path)
    {
        var (config, errors, sha256) = ConfigFile.Read(path);
        foreach (var e in errors)
        {
            await Console.Error.WriteLineAsync($"nlbd: {e}");
        }

        if (config is null)
        {
            await Console.Error.WriteLineAsync($"nlbd: {errors.Count} error(s); nothing was changed");
        }

        return (config, sha256);
    }

    private static async Task<int> RunAsync(NlbConfig config, ClusterKey key, DaemonOptions options, ILogger log, ConfigSource source, RecentEvents recent)
    {
        var cluster = config.Cluster;
        var host = config.Host;
        Log.Starting(log, host.Priority, cluster.Name, host.Interface, cluster.Mode.ToString().ToLowerInvariant(), cluster.PortRules.Count, cluster.Heartbeat.PeriodMs, cluster.Heartbeat.Tolerance);

        // Before anything touches the kernel: a port in use stops nlbd here, having changed nothing.
        if (!MetricsServer.TryListen(host.Metrics, log, out var metricsServer))
        {
            return ExitRuntime;
        }

        using var metrics = metricsServer;

        var spec = Spec(config);
        var self = new LocalIdentity(ClusterIdOf(cluster.Name), ConfigFingerprint.Of(cluster), host.Priority, Incarnation(), cluster.PortRules.Count);
        var iface = new ClusterInterface(host.Interface, cluster, options.RuntimeDirectory);
        var status = new StatusFile(options.StateFile);

        using var stop = new CancellationTokenSource();
        using var service = new ServiceManager(log);
        using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using var onInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        // Disposed at the end as loop.Kernel: a switch of the cluster section replaces it (and disposes it).
        var kernel = new KernelDataPlane(spec);
        var time = TimeProvider.System;
        var inventory = new FlowInventory(spec);
        NodeLoop? loop = null;
        try
        {
            // The others served this host's UDP flows while it was away; answering them again from
            // old conntrack entries would make two hosts answer one flow. TCP entries stay: the
            // others drop, and never reset, packets of connections they do not have; this host
            // keeps serving them from the buckets they are in.
            await inventory.ForgetUdpAsync(stop.Token);
            var settings = new NodeSettings(cluster, self, HostRules.Of(config), InitialState(host.InitialState))
            {
                InitialKept = await inventory.KeptUsageAsync(Ownership.Nothing(cluster.PortRules.Count)),
            };
            var node = new ConvergenceNode(settings, 0);

            // The filter goes in before the VIP, keeping every existing flow and accepting no new
            // one, so that nothing is accepted by a host that has not yet agreed on its share.
            kernel.Install(node.Ownership);
            foreach (var problem in await iface.AttachAsync(stop.Token))
            {
                Log.AnnounceProblem(log, problem);
            }

            using var socket = new HeartbeatSocket(host.Interface, host.DedicatedIp.Broadcast, cluster.Heartbeat.Port);
            loop = new NodeLoop(config, node, kernel, socket, new Wire(key, self), inventory, status, new Counters(), time, log)
            {
                Spec = spec,
                Source = source,
                Recent = recent,
                Facts = new FlowFactsReader(spec),
            };
            using var control = new ControlServer(options.ControlSocket, loop.HandleAsync, log) { GroupId = options.ControlGroupId };
            control.Start();
            var serving = control.RunAsync(stop.Token);
            using var pages = new MetricsSource(() => loop.Spec, loop.StatusAsync, log);
            var scraping = metrics?.RunAsync(pages.PageAsync, log, stop.Token) ?? Task.CompletedTask;
            service.Ready($"host {host.Priority} of cluster '{cluster.Name}' on {host.Interface}", async () => await loop.StatusAsync() is not null, stop.Token);
            await loop.RunAsync(stop.Token);
            await serving;
            await scraping;
        }
        finally
        {
            service.Stopping();

            // VIP first: with the filter gone and the VIP still up, this host would accept everything.
            foreach (var problem in await iface.DetachAsync(CancellationToken.None))
            {
                Log.CleanupProblem(log, problem);
            }

            // The loop's kernel: a switch of the cluster section replaced the one made here.
            var current = loop?.Kernel ?? kernel;
            try
            {
                current.Remove();
            }
            catch (Exception e)
            {
                Log.CleanupProblem(log, e.Message);
            }
            finally
            {
                current.Dispose();
            }

            status.Delete();
            Log.Stopped(log);
        }

        return 0;

        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            service.Stopping();
            stop.Cancel();
        }
    }

    /// <summary>What the data plane is rendered from: at start, and again when the cluster section switches.</summary>
    internal static DataPlaneSpec Spec(NlbConfig config)
    {
        var (cluster, host) = (config.Cluster, config.Host);
        return new DataPlaneSpec(cluster, host.Priority, host.Interface, BucketAllocator.BucketCount, HashSeed.ForCluster(cluster.Name))
        {
            Lease = cluster.Heartbeat.Lease,
            DaemonUid = CurrentProcess.EffectiveUserId,
            ForeignFlowTimeout = ForeignFlowTimeout(),
            AffinityTimeouts = cluster.PortRules.Select(r => TimeSpan.FromSeconds(r.AffinityTimeoutSeconds)).ToList(),
        };
    }

    /// <summary>
    /// A foreign UDP flow must outlive the old owner's conntrack entry for it, or the new owner
    /// would take the flow back while the old one still answers it: the kernel's UDP stream
    /// timeout plus a margin.
    /// </summary>
    private static TimeSpan ForeignFlowTimeout()
    {
        try
        {
            var seconds = int.Parse(File.ReadAllText("/proc/sys/net/netfilter/nf_conntrack_udp_timeout_stream").Trim(), System.Globalization.CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(seconds + 5);
        }
        catch (Exception e) when (e is IOException or FormatException or UnauthorizedAccessException)
        {
            return TimeSpan.FromSeconds(185);
        }
    }

    private static MemberState InitialState(HostState state) => state switch
    {
        HostState.Stopped => MemberState.Stopped,
        HostState.Suspended => MemberState.Suspended,
        _ => MemberState.Started,
    };

    private static uint ClusterIdOf(string name) =>
        System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("opennlb-cluster-id:" + name)));

    /// <summary>Start time in ms: a restarted daemon's heartbeats are newer than its predecessor's.</summary>
    private static ulong Incarnation() => (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
}
