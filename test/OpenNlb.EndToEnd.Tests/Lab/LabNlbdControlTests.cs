using OpenNlb.Lab;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.Lab;

/// <summary>The controls a daemon test uses: nlbd start and kill, state files, pulling a host's cable.</summary>
[Collection("lab")]
public sealed class LabNlbdControlTests
{
    [Fact]
    public async Task Lab_RunsNlbdPerHost_ReadsItsStateFile_KillsAndRestartsIt()
    {
        LabPrerequisites.SkipUnlessLabCanRun();
        const string name = "tl7";
        _ = await Labs.DownAsync(name, TestContext.Current.CancellationToken);
        var nlbd = FakeNlbd.Write(FakeNlbd.WellBehaved);
        try
        {
            await using var lab = await Labs.UpAsync(new LabOptions { Name = name, Hosts = 2, Clients = 1, NlbdPath = nlbd }, TestContext.Current.CancellationToken);

            // up waited for every state file; each daemon read its own configuration.
            for (var host = 1; host <= 2; host++)
            {
                Assert.True(lab.IsNlbdRunning(host));
                var status = lab.ReadStatus(host);
                Assert.NotNull(status);
                Assert.Equal(host, status.HostPriority);
                Assert.Equal(lab.NlbdProcessId(host), status.ProcessId);
                Assert.Equal(60, status.BucketsOwned["web"]);
            }

            Assert.Contains("dedicatedIp: 192.0.2.12/24", await File.ReadAllTextAsync(lab.Paths.Config(2), TestContext.Current.CancellationToken), StringComparison.Ordinal);

            var exit = await lab.KillNlbdAsync(2, Signal.SIGTERM);
            Assert.Equal(0, exit);
            Assert.False(lab.IsNlbdRunning(2));
            Assert.Null(lab.ReadStatus(2));
            Assert.True(lab.IsNlbdRunning(1));

            lab.StartNlbd(2);
            Assert.True(lab.IsNlbdRunning(2));
            Assert.True(SpinWait.SpinUntil(() => lab.ReadStatus(2) is not null, TimeSpan.FromSeconds(10)));

            var killed = await lab.KillNlbdAsync(1, Signal.SIGKILL);
            Assert.Equal(128 + 9, killed);
            Assert.False(lab.IsNlbdRunning(1));
        }
        finally
        {
            File.Delete(nlbd);
        }

        Assert.Empty(LabPrerequisites.Namespaces($"onlb-{name}-"));
    }

    [Fact]
    public async Task SetLinkDown_CutsTheHostOff_SetLinkUp_ReconnectsIt()
    {
        LabPrerequisites.SkipUnlessLabCanRun();
        const string name = "tl8";
        _ = await Labs.DownAsync(name, TestContext.Current.CancellationToken);
        await using var lab = await Labs.UpAsync(new LabOptions { Name = name, Hosts = 2, Clients = 1, NoNlbd = true }, TestContext.Current.CancellationToken);

        await lab.SetLinkDownAsync(1, TestContext.Current.CancellationToken);
        _ = await Assert.ThrowsAnyAsync<Exception>(() => lab.HttpGetAsync("c1", lab.HostDip(1), timeout: TimeSpan.FromSeconds(1), cancellationToken: TestContext.Current.CancellationToken));
        Assert.Equal("h2", await lab.HttpGetAsync("c1", lab.HostDip(2), cancellationToken: TestContext.Current.CancellationToken));
        var status = await lab.StatusAsync(TestContext.Current.CancellationToken);
        Assert.False(status.Nodes.Single(n => n.Name == "h1").SwitchPortUp);

        await lab.SetLinkUpAsync(1, TestContext.Current.CancellationToken);
        Assert.Equal("h1", await lab.HttpGetAsync("c1", lab.HostDip(1), timeout: TimeSpan.FromSeconds(5), cancellationToken: TestContext.Current.CancellationToken));
    }
}
