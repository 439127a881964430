namespace OpenNlb.Lab;

/// <summary>Where a lab keeps its state: /run/opennlb-lab/&lt;lab&gt;/ (tmpfs: gone after a reboot, like the namespaces).</summary>
public sealed class LabPaths(string lab)
{
    public const string Root = "/run/opennlb-lab";

    public string Directory { get; } = Path.Combine(Root, lab);

    /// <summary>The lab's description (<see cref="Model.LabDescription"/>).</summary>
    public string LabJson => File("lab.json");

    /// <summary>The nlbd configuration of host h&lt;i&gt;.</summary>
    public string Config(int host) => File($"h{host}.yaml");

    /// <summary>Where nlbd of host h&lt;i&gt; writes its <see cref="Core.Status.HostStatus"/>.</summary>
    public string StateFile(int host) => File($"h{host}.state.json");

    /// <summary>nlbd's control socket of host h&lt;i&gt; (a Unix socket: one JSON line in, one out).</summary>
    public string ControlSocket(int host) => File($"h{host}.sock");

    public string NlbdLog(int host) => File($"h{host}.nlbd.log");

    /// <summary>
    /// Host i's nlbd runtime directory (the saved MAC of its interface): in the lab's directory, so
    /// that `lab down` removes it, never the machine's own /run/opennlb, where a file named after a
    /// reused namespace inode would give a later lab host another host's MAC.
    /// </summary>
    public string NlbdRuntime(int host) => File($"h{host}.run");

    public string NlbdPid(int host) => File($"h{host}.nlbd.pid");

    public string ServiceLog(int host) => File($"h{host}.serve.log");

    public string ServicePid(int host) => File($"h{host}.serve.pid");

    private string File(string name) => Path.Combine(Directory, name);
}
