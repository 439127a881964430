using System.CommandLine;

namespace OpenNlb.Cli.Control;

/// <summary>Where a command goes: --socket PATH, or host N of a lab (--lab NAME --host N), or the default socket; and --json.</summary>
internal sealed class Target
{
    public Option<string?> Socket { get; } = new("--socket") { Description = "nlbd's control socket (default " + ControlClient.DefaultSocket + ")" };

    public Option<string?> Lab { get; } = new("--lab", "--name") { Description = "Talk to a host of a running lab (with --host)" };

    public Option<int?> Host { get; } = new("--host") { Description = "With --lab: the host number (1, 2, ...)" };

    public Option<bool> Json { get; } = CliJson.Option();

    public Option<int?> Node { get; } = new("--node") { Description = "Run it on cluster host N instead, through this host's nlbd (host N must allow remote control)" };

    public Option<bool> Cluster { get; } = new("--cluster") { Description = "Run it on every host of the cluster (each must allow remote control)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Socket);
        command.Options.Add(Lab);
        command.Options.Add(Host);
        command.Options.Add(Node);
        command.Options.Add(Cluster);
        command.Options.Add(Json);
    }

    /// <summary>The request, sent on to another host (--node N) or to every host (--cluster).</summary>
    public OpenNlb.Core.Control.ControlRequest Scope(ParseResult parse, OpenNlb.Core.Control.ControlRequest request) =>
        (parse.GetValue(Node), parse.GetValue(Cluster)) switch
        {
            ({ }, true) => throw new UsageException("say either --node N or --cluster, not both"),
            ({ } node, _) => request with { Node = node },
            (null, true) => request with { Cluster = true },
            _ => request,
        };

    public string SocketPath(ParseResult parse)
    {
        var socket = parse.GetValue(Socket);
        if (parse.GetValue(Lab) is { } lab)
        {
            if (socket is not null)
            {
                throw new UsageException("say either --socket or --lab NAME --host N, not both");
            }

            var host = parse.GetValue(Host) ?? throw new UsageException("--lab needs --host N: the host whose nlbd to ask");
            return new OpenNlb.Lab.LabPaths(lab).ControlSocket(host);
        }

        if (parse.GetValue(Host) is not null)
        {
            throw new UsageException("--host needs --lab NAME");
        }

        return socket ?? ControlClient.DefaultSocket;
    }
}
