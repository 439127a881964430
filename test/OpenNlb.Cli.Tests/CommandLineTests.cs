using System.CommandLine;
using OpenNlb.Cli.Control;
using Xunit;

namespace OpenNlb.Cli.Tests;

public sealed class CommandLineTests
{
    private static readonly RootCommand Root = Program.Root(CancellationToken.None);

    private static readonly string[] HostCommandNames =
        ["query", "display", "params", "start", "stop", "drainstop", "suspend", "resume", "enable", "disable", "drain", "weight", "reload", "owner"];

    [Fact]
    public void NlbExesCommands_AllExist_FirstInTheList()
    {
        var names = Root.Subcommands.Select(c => c.Name).ToList();
        Assert.Equal([.. HostCommandNames, "ip2mac", "check", "lab", "demo", "bench"], names);
    }

    [Fact]
    public void EveryCommand_HasADescription_AndEveryOptionToo()
    {
        foreach (var command in Root.Subcommands.Concat(Root.Subcommands.SelectMany(c => c.Subcommands)))
        {
            Assert.False(string.IsNullOrWhiteSpace(command.Description), command.Name);
            Assert.All(command.Options, o => Assert.False(string.IsNullOrWhiteSpace(o.Description), $"{command.Name} {o.Name}"));
            Assert.All(command.Arguments, a => Assert.False(string.IsNullOrWhiteSpace(a.Description), $"{command.Name} {a.Name}"));
        }
    }

    [Theory]
    [InlineData("query")]
    [InlineData("display")]
    [InlineData("drain")]
    [InlineData("owner")]
    [InlineData("ip2mac")]
    public void EveryNlbCommand_TakesJson(string name)
    {
        Assert.Contains(Root.Subcommands.Single(c => c.Name == name).Options, o => o.Name == "--json");
    }

    [Fact]
    public void EveryHostCommand_CanBeSentToASocketOrALabHost()
    {
        foreach (var name in HostCommandNames)
        {
            var options = Root.Subcommands.Single(c => c.Name == name).Options.Select(o => o.Name).ToList();
            Assert.Superset(new HashSet<string>(["--socket", "--lab", "--host", "--json"]), options.ToHashSet());
        }
    }

    [Theory]
    [InlineData("drain")] // no rule
    [InlineData("weight web")] // no weight
    [InlineData("weight web heavy")] // not a number
    [InlineData("owner 198.51.100.7")] // no --port
    [InlineData("owner 198.51.100.7 --port 80 --proto sctp")]
    [InlineData("ip2mac")]
    [InlineData("frobnicate")]
    public void CommandLinesThatDoNotParse_HaveErrors(string line)
    {
        Assert.NotEmpty(Root.Parse(line).Errors);
    }

    [Theory]
    [InlineData("drain 10.0.0.10:80 --lab tc --host 2")]
    [InlineData("drainstop --timeout 30")]
    [InlineData("weight all 50 --json")]
    [InlineData("owner [2001:db8::7]:1234 --port 443 --proto udp --vip 10.0.0.10 --socket /tmp/s")]
    [InlineData("ip2mac 10.0.0.10 --json")]
    public void CommandLinesThatParse_HaveNone(string line)
    {
        Assert.Empty(Root.Parse(line).Errors);
    }

    [Theory]
    [InlineData("query --lab tc --host 3", "/run/opennlb-lab/tc/h3.sock")]
    [InlineData("query --socket /tmp/n.sock", "/tmp/n.sock")]
    [InlineData("query", ControlClient.DefaultSocket)]
    public void Target_IsTheSocketOrTheLabHostsSocket(string line, string socket)
    {
        var target = new Target();
        var command = new Command("query");
        target.AddTo(command);
        Assert.Equal(socket, target.SocketPath(new RootCommand { command }.Parse(line)));
    }

    [Theory]
    [InlineData("query --lab tc", "--lab needs --host N")]
    [InlineData("query --host 2", "--host needs --lab NAME")]
    [InlineData("query --socket /s --lab tc --host 1", "say either --socket or --lab NAME --host N, not both")]
    public void IncompleteTarget_IsAUsageError(string line, string message)
    {
        var target = new Target();
        var command = new Command("query");
        target.AddTo(command);
        var e = Assert.Throws<UsageException>(() => target.SocketPath(new RootCommand { command }.Parse(line)));
        Assert.StartsWith(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASocketOfALabThatIsNotUp_SaysSo_RatherThanThatNlbdIsNotRunning()
    {
        var lab = $"tc-absent-{Guid.NewGuid():N}"[..20];

        Assert.StartsWith($"no lab named '{lab}' is up (", ControlClient.NotRunning(new OpenNlb.Lab.LabPaths(lab).ControlSocket(1)), StringComparison.Ordinal);
        Assert.Equal(
            "nlbd is not running (nothing listens on /nonexistent-dir/n.sock; /nonexistent-dir does not exist)",
            ControlClient.NotRunning("/nonexistent-dir/n.sock"));
    }
}
