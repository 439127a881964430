namespace OpenNlb.Daemon;

/// <summary>nlbd's command line.</summary>
internal sealed record DaemonOptions(string ConfigPath, string? StateFile, string RuntimeDirectory, string ControlSocket)
{
    /// <summary>The group given with <c>--control-group</c>, resolved; null: the socket is root's alone.</summary>
    public uint? ControlGroupId { get; init; }

    public const string Usage = """
        usage: nlbd --config <file.yaml> [--state-file <file.json>] [--runtime-dir <dir>] [--control-socket <path>]
                  [--control-group <group>]

          --config       this host's configuration (see docs/configuration.md)
          --state-file   where to write the host's status as JSON (read by `nlb lab status`)
          --runtime-dir  where to keep runtime state such as the saved interface MAC
                         (default /run/opennlb)
          --control-socket  the Unix socket `nlb` talks to (default /run/opennlb/nlbd.sock;
                         only root may connect)
          --control-group  a group (name or number) whose members may use the control
                         socket too (mode 0660); without it, only root
        """;

    public static DaemonOptions? Parse(string[] args, out string? error)
    {
        string? config = null, state = null, runtime = "/run/opennlb", control = null, group = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--config" when value is not null: config = value; i++; break;
                case "--state-file" when value is not null: state = value; i++; break;
                case "--runtime-dir" when value is not null: runtime = value; i++; break;
                case "--control-socket" when value is not null: control = value; i++; break;
                case "--control-group" when value is not null: group = value; i++; break;
                default:
                    error = $"unexpected argument '{args[i]}'";
                    return null;
            }
        }

        error = config is null ? "--config is required" : null;
        uint? gid = null;
        if (group is not null && (gid = GroupId(group)) is null)
        {
            error = $"--control-group: no group '{group}' in /etc/group";
        }

        return error is not null ? null : new DaemonOptions(config!, state, runtime, control ?? Path.Combine(runtime, "nlbd.sock")) { ControlGroupId = gid };
    }

    /// <summary>A group's id from its number or from /etc/group (the socket's group is set once, at start).</summary>
    private static uint? GroupId(string group)
    {
        if (uint.TryParse(group, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        try
        {
            return File.ReadLines("/etc/group")
                .Select(line => line.Split(':'))
                .Where(f => f.Length >= 3 && f[0] == group && uint.TryParse(f[2], System.Globalization.CultureInfo.InvariantCulture, out _))
                .Select(f => (uint?)uint.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture))
                .FirstOrDefault();
        }
        catch (IOException)
        {
            return null;
        }
    }
}
