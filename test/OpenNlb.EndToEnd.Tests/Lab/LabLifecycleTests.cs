using OpenNlb.Lab;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.Lab;

[Collection("lab")]
public sealed class LabLifecycleTests
{
    [Fact]
    public async Task Down_LeavesNoNamespaceNoProcessAndNoState_AndIsIdempotent()
    {
        LabPrerequisites.SkipUnlessLabCanRun();
        const string name = "tl2";
        _ = await Labs.DownAsync(name, TestContext.Current.CancellationToken);
        var lab = await Labs.UpAsync(new LabOptions { Name = name, Hosts = 2, Clients = 1, NoNlbd = true }, TestContext.Current.CancellationToken);
        List<int> pids;
        try
        {
            var status = await lab.StatusAsync(TestContext.Current.CancellationToken);
            pids = [.. status.Nodes.Select(n => n.ServicePid).OfType<int>()];
            Assert.Equal(2, pids.Count);
            Assert.Equal(4, LabPrerequisites.Namespaces($"onlb-{name}-").Count);

            // up's probes went from c1; it forgets the MACs it learned (nlbd may change them).
            var neighbours = await lab.ExecAsync("c1", ["ip", "neigh", "show", "dev", "eth0"], TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
            Assert.Equal("", neighbours.StandardOutput);

            // Something a person left running in a client: down stops it too.
            _ = await lab.ExecAsync("c1", ["sh", "-c", "setsid sleep 300 >/dev/null 2>&1 < /dev/null &"], TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        }
        finally
        {
            var report = await lab.DownAsync(CancellationToken.None);
            Assert.True(report.StateDirectoryRemoved);
            Assert.Equal(4, report.NamespacesDeleted.Count);
            Assert.Equal(3, report.ProcessesKilled.Count);
        }

        Assert.Empty(LabPrerequisites.Namespaces($"onlb-{name}-"));
        Assert.False(Directory.Exists(lab.Paths.Directory));
        foreach (var pid in pids)
        {
            Assert.True(await LabPrerequisites.IsGoneAsync(pid), $"process {pid} still runs");
        }

        var again = await Labs.DownAsync(name, TestContext.Current.CancellationToken);
        Assert.Empty(again.NamespacesDeleted);
        Assert.Empty(again.ProcessesKilled);
        Assert.False(again.StateDirectoryRemoved);
    }

    [Fact]
    public async Task Down_AfterACrashThatLostLabJson_FindsTheLabByItsNamespaces()
    {
        LabPrerequisites.SkipUnlessLabCanRun();
        const string name = "tl3";
        _ = await Labs.DownAsync(name, TestContext.Current.CancellationToken);
        var lab = await Labs.UpAsync(new LabOptions { Name = name, Hosts = 1, Clients = 1, NoNlbd = true }, TestContext.Current.CancellationToken);
        try
        {
            Directory.Delete(lab.Paths.Directory, recursive: true);
            Assert.Contains(name, Labs.List());

            var report = await Labs.DownAsync(name, TestContext.Current.CancellationToken);

            Assert.Equal(3, report.NamespacesDeleted.Count);
            Assert.Single(report.ProcessesKilled);
            Assert.Empty(LabPrerequisites.Namespaces($"onlb-{name}-"));
            Assert.DoesNotContain(name, Labs.List());
        }
        finally
        {
            await lab.DisposeAsync();
        }
    }

    [Fact]
    public async Task FailureDuringUp_ServiceThatDies_LeavesNothingBehind()
    {
        LabPrerequisites.SkipUnlessLabCanRun();
        const string name = "tl4";
        _ = await Labs.DownAsync(name, TestContext.Current.CancellationToken);

        // /bin/false as the lab service: namespaces, bridge and addresses are built, then the
        // services exit 1 and `up` must take all of it down again.
        var error = await Assert.ThrowsAsync<LabException>(() => Labs.UpAsync(
            new LabOptions { Name = name, Hosts = 2, Clients = 1, NoNlbd = true, NlbPath = "/bin/false" },
            TestContext.Current.CancellationToken));

        Assert.Contains("exited with code 1", error.Message, StringComparison.Ordinal);
        Assert.Empty(LabPrerequisites.Namespaces($"onlb-{name}-"));
        Assert.False(Directory.Exists(new LabPaths(name).Directory));
        Assert.False(Labs.Exists(name));
    }

    [Fact]
    public async Task FailureDuringUp_NlbdThatExits_LeavesNothingBehind_AndTheServicesAreStopped()
    {
        LabPrerequisites.SkipUnlessLabCanRun();
        const string name = "tl5";
        _ = await Labs.DownAsync(name, TestContext.Current.CancellationToken);
        var nlbd = FakeNlbd.Write("echo 'config: invalid' >&2; exit 3");
        var before = ServicePidsNamed();
        try
        {
            var error = await Assert.ThrowsAsync<LabException>(() => Labs.UpAsync(
                new LabOptions { Name = name, Hosts = 2, Clients = 1, NlbdPath = nlbd },
                TestContext.Current.CancellationToken));

            Assert.Contains("exited with code 3", error.Message, StringComparison.Ordinal);
            Assert.Contains("config: invalid", error.Message, StringComparison.Ordinal);
            Assert.Empty(LabPrerequisites.Namespaces($"onlb-{name}-"));
            Assert.False(Labs.Exists(name));
            foreach (var pid in ServicePidsNamed().Except(before))
            {
                Assert.True(await LabPrerequisites.IsGoneAsync(pid), $"service {pid} still runs");
            }
        }
        finally
        {
            File.Delete(nlbd);
        }
    }

    [Fact]
    public async Task Up_WithoutAnNlbdBinary_FailsBeforeBuildingAnything()
    {
        LabPrerequisites.SkipUnlessLabCanRun();
        const string name = "tl6";
        var error = await Assert.ThrowsAsync<LabException>(() => Labs.UpAsync(
            new LabOptions { Name = name, NlbdPath = "/nonexistent/nlbd" },
            TestContext.Current.CancellationToken));

        Assert.Contains("/nonexistent/nlbd", error.Message, StringComparison.Ordinal);
        Assert.Empty(LabPrerequisites.Namespaces($"onlb-{name}-"));
    }

    /// <summary>Pids of lab services of any lab (cmdline contains "lab serve").</summary>
    private static HashSet<int> ServicePidsNamed() =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && ReadCommandLine(pid).Contains("lab\0serve", StringComparison.Ordinal))];

    private static string ReadCommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (IOException)
        {
            return "";
        }
    }
}
