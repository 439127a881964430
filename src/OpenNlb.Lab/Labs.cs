using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using OpenNlb.Lab.Interop;
using OpenNlb.Lab.Model;
using OpenNlb.Lab.Processes;
using OpenNlb.Linux.Processes;

namespace OpenNlb.Lab;

/// <summary>
/// The lab's entry points, used by `nlb lab` and by the tests. A lab is an OpenNLB cluster on one
/// machine: hosts and clients in network namespaces on a bridge in a namespace of its own.
/// </summary>
public static class Labs
{
    private static readonly string[] RequiredTools = ["ip", "sysctl", "setsid", "sh"];

    /// <summary>Builds a lab and waits until its services answer (and every nlbd reports); nothing is left behind if it fails.</summary>
    public static Task<LabHandle> UpAsync(LabOptions options, CancellationToken cancellationToken = default) =>
        LabBuilder.UpAsync(options, cancellationToken);

    /// <summary>Tears a lab down by name, also after a crash (found by its namespaces); idempotent.</summary>
    public static Task<TeardownReport> DownAsync(string name, CancellationToken cancellationToken = default) =>
        LabTeardown.DownAsync(name, cancellationToken);

    /// <summary>Tears down every lab there is a trace of.</summary>
    public static async Task<IReadOnlyList<TeardownReport>> DownAllAsync(CancellationToken cancellationToken = default)
    {
        var reports = new List<TeardownReport>();
        foreach (var lab in List())
        {
            reports.Add(await LabTeardown.DownAsync(lab, cancellationToken));
        }

        return reports;
    }

    /// <summary>Labs there is a trace of: a state directory or a switch namespace.</summary>
    public static IReadOnlyList<string> List() => LabTeardown.Discover();

    /// <summary>True when anything of a lab of that name exists: its state directory or any of its namespaces.</summary>
    public static bool Exists(string name) =>
        LabNames.Validate(name) is null
        && (Directory.Exists(new LabPaths(name).Directory) || NetNamespace.List().Any(ns => LabNames.NodeOf(name, ns) is not null));

    /// <summary>The lab's lab.json.</summary>
    public static LabDescription ReadDescription(string name)
    {
        if (LabNames.Validate(name) is { } error)
        {
            throw new LabException(error);
        }

        var path = new LabPaths(name).LabJson;
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllBytes(path), LabJsonContext.Default.LabDescription)
                ?? throw new LabException($"{path} is empty");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            var known = List();
            throw new LabException($"no lab named '{name}' ({path} does not exist); labs: {(known.Count == 0 ? "none" : string.Join(", ", known))}", e);
        }
        catch (JsonException e)
        {
            throw new LabException($"{path} is not a lab description: {e.Message}", e);
        }
    }

    public static Task<LabStatus> StatusAsync(string name, CancellationToken cancellationToken = default) =>
        LabInspector.StatusAsync(ReadDescription(name), cancellationToken);

    /// <summary>Runs a command in a node of a lab, capturing its output.</summary>
    public static Task<CommandResult> ExecAsync(string name, string node, IReadOnlyList<string> argv, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        CommandRunner.RunAsync("ip", ["netns", "exec", NamespaceOf(name, node), .. argv], timeout, null, cancellationToken);

    /// <summary>
    /// Runs a command in a node of a lab on this process's terminal (stdin, stdout, stderr
    /// inherited) and returns its exit code. Ctrl-C reaches the command, not this process, which
    /// waits for the command's own exit code.
    /// </summary>
    public static async Task<int> ExecAttachedAsync(string name, string node, IReadOnlyList<string> argv)
    {
        var startInfo = new ProcessStartInfo("ip") { UseShellExecute = false };
        foreach (var argument in (IEnumerable<string>)["netns", "exec", NamespaceOf(name, node), .. argv])
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => c.Cancel = true);
        using var quit = PosixSignalRegistration.Create(PosixSignal.SIGQUIT, c => c.Cancel = true);
        using var process = Process.Start(startInfo) ?? throw new LabException("could not start ip");
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    /// <summary>Null when this machine can run a lab, else what is missing.</summary>
    public static string? MissingPrerequisite()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "the lab needs Linux (network namespaces)";
        }

        if (Libc.GetEffectiveUserId() != 0)
        {
            return "the lab needs root (it creates network namespaces, veths and a bridge)";
        }

        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries);
        var missing = RequiredTools.Where(t => !path.Any(dir => File.Exists(Path.Combine(dir, t)))).ToList();
        return missing.Count == 0 ? null : $"the lab needs {string.Join(", ", missing)} in PATH (Debian: iproute2, procps, util-linux)";
    }

    private static string NamespaceOf(string name, string node)
    {
        var description = ReadDescription(name);
        var found = description.Find(node)
            ?? throw new LabException($"lab '{name}' has no node '{node}' (it has {string.Join(", ", description.Nodes.Select(n => n.Name))})");
        return NetNamespace.Exists(found.Namespace)
            ? found.Namespace
            : throw new LabException($"namespace {found.Namespace} of lab '{name}' is gone; `nlb lab down --name {name}` and up again");
    }
}
