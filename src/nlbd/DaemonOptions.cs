namespace OpenNlb.Daemon;

/// <summary>nlbd's command line.</summary>
internal sealed record DaemonOptions(string ConfigPath, string? StateFile, string RuntimeDirectory, string ControlSocket)
{
    public const string Usage = """
        usage: nlbd --config <file.yaml> [--state-file <file.json>] [--runtime-dir <dir>] [--control-socket <path>]

          --config       this host's configuration (see docs/configuration.md)
          --state-file   where to write the host's status as JSON (read by `nlb lab status`)
          --runtime-dir  where to keep runtime state such as the saved interface MAC
                         (default /run/opennlb)
          --control-socket  the Unix socket `nlb` talks to (default /run/opennlb/nlbd.sock;
                         only root may connect)
        """;

    public static DaemonOptions? Parse(string[] args, out string? error)
    {
        string? config = null, state = null, runtime = "/run/opennlb", control = null;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--config" when value is not null: config = value; i++; break;
                case "--state-file" when value is not null: state = value; i++; break;
                case "--runtime-dir" when value is not null: runtime = value; i++; break;
                case "--control-socket" when value is not null: control = value; i++; break;
                default:
                    error = $"unexpected argument '{args[i]}'";
                    return null;
            }
        }

        error = config is null ? "--config is required" : null;
        return config is null ? null : new DaemonOptions(config, state, runtime, control ?? Path.Combine(runtime, "nlbd.sock"));
    }
}
