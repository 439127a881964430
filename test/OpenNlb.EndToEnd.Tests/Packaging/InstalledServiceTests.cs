using System.Diagnostics;
using OpenNlb.Core.Configuration;
using OpenNlb.EndToEnd.Tests.Support;
using OpenNlb.Linux.Processes;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.Packaging;

/// <summary>
/// The unit under a real systemd: the installed package in a clean root with systemd added,
/// booted by systemd-nspawn in a network namespace. What the chroot run of
/// <see cref="InstalledDaemonTests"/> can only imitate is the real thing here: every hardening
/// option, `systemctl start` waiting for READY=1, `systemctl reload`, Restart= after a crash,
/// `systemctl stop`, and
/// the maintainer scripts with a running service: an upgrade restarts it, a removal stops it.
/// </summary>
[Collection(InstalledPackageCollection.Name)]
public sealed class InstalledServiceTests(InstalledPackageFixture package)
{
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Unit_UnderSystemd_StartsWhenReady_RestartsACrash_StopsCleanly_AndSurvivesUpgradeAndRemoval()
    {
        package.Require();
        if (!Requires.HasTool("systemd-nspawn"))
        {
            Assert.Skip("needs systemd-nspawn (apt-get install systemd-container; scripts/install-deps.sh does)");
        }

        var output = TestContext.Current.TestOutputHelper;
        await using var root = await ChrootCopy.CreateAsync(package.Root!.Root, Ct);
        var watch = Stopwatch.StartNew();
        await InstalledPackageFixture.AptInstallAsync(root, ["systemd"], Ct);
        output?.WriteLine($"systemd installed in the copy: {watch.Elapsed.TotalSeconds:0.0} s");

        var config = ConfigLoader.Parse(await File.ReadAllTextAsync(root.HostPath("/etc/opennlb/nlbd.yaml.example"), Ct)).Config!;
        await using var ns = await TestNamespace.CreateAsync("tp");
        await ns.ExecCheckedAsync("ip", "addr", "add", config.Host.DedicatedIp.ToString(), "dev", "eth0");
        var ownMac = await VethPair.ShowAsync(ns.Name, Ct);

        BootedContainer container;
        watch.Restart();
        try
        {
            container = await BootedContainer.BootAsync(root.Root, ns.Name, Ct);
        }
        catch (ContainerBootException e)
        {
            Assert.Skip(e.Message);
            throw;
        }

        await using var booted = container;
        output?.WriteLine($"booted: {watch.Elapsed.TotalSeconds:0.0} s");

        // Enabled, and tried at boot, but skipped without a configuration: not failed.
        Assert.Equal("enabled", (await container.ExecCheckedAsync(["systemctl", "is-enabled", "nlbd"], Quick, Ct)).Trim());
        var unconfigured = await container.ShowAsync("nlbd", Ct);
        Assert.True(unconfigured["ConditionResult"] == "no" && unconfigured["ActiveState"] == "inactive",
            $"without /etc/opennlb/nlbd.yaml: ConditionResult={unconfigured["ConditionResult"]}, ActiveState={unconfigured["ActiveState"]}");

        // Configured as docs/service.md says; `systemctl start` returns once nlbd said READY=1,
        // and then nlb gets an answer at once.
        File.Copy(root.HostPath("/etc/opennlb/nlbd.yaml.example"), root.HostPath("/etc/opennlb/nlbd.yaml"));
        await container.ExecCheckedAsync(["sh", "-c", "(umask 077; head -c 32 /dev/urandom | base64 > /etc/opennlb/cluster.key)"], Quick, Ct);
        watch.Restart();
        await container.ExecCheckedAsync(["systemctl", "start", "nlbd"], Quick, Ct);
        output?.WriteLine($"systemctl start: {watch.Elapsed.TotalSeconds:0.0} s");
        Assert.Contains("host 1", await container.ExecCheckedAsync(["nlb", "query"], Quick, Ct), StringComparison.Ordinal);
        var running = await container.ShowAsync("nlbd", Ct);
        Assert.Equal(("active", "running", "10s"), (running["ActiveState"], running["SubState"], running["WatchdogUSec"]));
        Assert.StartsWith("host 1 of cluster", running["StatusText"], StringComparison.Ordinal);
        Assert.Contains(config.Cluster.Vips[0] + "/32", await VethPair.ShowAsync(ns.Name, Ct), StringComparison.Ordinal);

        // systemctl reload is nlb reload: a host setting changes live; an invalid file is refused,
        // the reload fails, and nlbd runs on with what it had.
        var configuration = root.HostPath("/etc/opennlb/nlbd.yaml");
        var text = await File.ReadAllTextAsync(configuration, Ct);
        Assert.Contains("web: { loadWeight: 50 }", text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(configuration, text.Replace("web: { loadWeight: 50 }", "web: { loadWeight: 60 }", StringComparison.Ordinal), Ct);
        await container.ExecCheckedAsync(["systemctl", "reload", "nlbd"], Quick, Ct);
        Assert.Contains("rule web: enabled, weight 60", await container.ExecCheckedAsync(["nlb", "query"], Quick, Ct), StringComparison.Ordinal);
        await File.WriteAllTextAsync(configuration, text.Replace("web: { loadWeight: 50 }", "web: { loadWeight: 500 }", StringComparison.Ordinal), Ct);
        var refused = await container.ExecAsync(["systemctl", "reload", "nlbd"], Quick, Ct);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("rule web: enabled, weight 60", await container.ExecCheckedAsync(["nlb", "query"], Quick, Ct), StringComparison.Ordinal);
        Assert.Equal("active", (await container.ShowAsync("nlbd", Ct))["ActiveState"]);
        await File.WriteAllTextAsync(configuration, text, Ct);

        // A crash: no clean stop, the VIP and the cluster MAC stay; systemd starts nlbd again,
        // and the interface's own MAC, saved in the runtime directory, survives the restart.
        await container.ExecCheckedAsync(["systemctl", "kill", "--signal=SIGKILL", "nlbd"], Quick, Ct);
        await UntilAsync(container, s => s["NRestarts"] == "1" && s["ActiveState"] == "active" && s["SubState"] == "running", "restarted after SIGKILL");
        Assert.Contains("host 1", await container.ExecCheckedAsync(["nlb", "query"], Quick, Ct), StringComparison.Ordinal);

        watch.Restart();
        await container.ExecCheckedAsync(["systemctl", "stop", "nlbd"], Quick, Ct);
        output?.WriteLine($"systemctl stop: {watch.Elapsed.TotalSeconds:0.0} s");
        var stopped = await container.ShowAsync("nlbd", Ct);
        Assert.Equal(("inactive", "success"), (stopped["ActiveState"], stopped["Result"]));
        Assert.Equal(ownMac, await VethPair.ShowAsync(ns.Name, Ct));
        Assert.DoesNotContain("opennlb", (await ns.ExecCheckedAsync("nft", "-t", "list", "ruleset")), StringComparison.Ordinal);

        // The log is in the journal, one line per event.
        var journal = await container.ExecCheckedAsync(["journalctl", "-u", "nlbd", "--no-pager", "-o", "cat"], Quick, Ct);
        Assert.Contains("told systemd: ready", journal, StringComparison.Ordinal);
        Assert.Contains("nlbd stopped; ruleset, VIPs and cluster MAC removed", journal, StringComparison.Ordinal);

        var security = await container.ExecAsync(["systemd-analyze", "security", "--no-pager", "nlbd"], Quick, Ct);
        output?.WriteLine(security.StandardOutput.Split('\n').FirstOrDefault(l => l.Contains("Overall exposure", StringComparison.Ordinal)) ?? security.StandardError);

        // A drop-in as docs/service.md shows it: a group may use the control socket (nlbd needs
        // CAP_CHOWN for that, in the unit's bounding set).
        await container.ExecCheckedAsync(["sh", "-c", "groupadd nlbadmin && useradd -M -N -G nlbadmin nlbuser"], Quick, Ct);
        Directory.CreateDirectory(root.HostPath("/etc/systemd/system/nlbd.service.d"));
        await File.WriteAllTextAsync(root.HostPath("/etc/systemd/system/nlbd.service.d/group.conf"),
            "[Service]\nExecStart=\nExecStart=/usr/sbin/nlbd --config /etc/opennlb/nlbd.yaml --control-group nlbadmin\n", Ct);
        await container.ExecCheckedAsync(["systemctl", "daemon-reload"], Quick, Ct);
        await container.ExecCheckedAsync(["systemctl", "start", "nlbd"], Quick, Ct);
        Assert.Equal("nlbadmin 660", (await container.ExecCheckedAsync(["stat", "-c", "%G %a", "/run/opennlb/nlbd.sock"], Quick, Ct)).Trim());
        Assert.Contains("host 1", await container.ExecCheckedAsync(["setpriv", "--reuid=nlbuser", "--regid=nogroup", "--init-groups", "nlb", "query"], Quick, Ct), StringComparison.Ordinal);

        // An upgrade while nlbd runs: postinst restarts it on the new files; the drop-in stays.
        var before = (await container.ShowAsync("nlbd", Ct))["MainPID"];
        var later = await Repack.WithVersionAsync(package.Deb, package.Version + "+1", Ct);
        try
        {
            // nspawn gives the container a /tmp of its own: /var/tmp is the one the host shares.
            File.Copy(later, root.HostPath("/var/tmp/later.deb"));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(later)!, recursive: true);
        }

        await container.ExecCheckedAsync(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-q", "/var/tmp/later.deb"], Quick, Ct);
        var upgraded = await container.ShowAsync("nlbd", Ct);
        Assert.True(upgraded["ActiveState"] == "active" && upgraded["MainPID"] != before, $"after the upgrade: {upgraded["ActiveState"]}, MainPID {before} -> {upgraded["MainPID"]}");
        Assert.Equal(package.Version + "+1", await container.ExecCheckedAsync(["dpkg-query", "-W", "-f", "${Version}", "opennlb"], Quick, Ct));
        Assert.Contains("host 1", await container.ExecCheckedAsync(["nlb", "query"], Quick, Ct), StringComparison.Ordinal);
        Assert.Equal("nlbadmin 660", (await container.ExecCheckedAsync(["stat", "-c", "%G %a", "/run/opennlb/nlbd.sock"], Quick, Ct)).Trim());

        // Removal stops it cleanly (prerm) before the files go.
        await container.ExecCheckedAsync(["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "remove", "-y", "-q", "opennlb"], Quick, Ct);
        Assert.Equal(ownMac, await VethPair.ShowAsync(ns.Name, Ct));
        Assert.DoesNotContain("opennlb", (await ns.ExecCheckedAsync("nft", "-t", "list", "ruleset")), StringComparison.Ordinal);
        Assert.Contains("nlbd stopped; ruleset, VIPs and cluster MAC removed", (await container.ExecCheckedAsync(["journalctl", "-u", "nlbd", "--no-pager", "-o", "cat", "-n", "5"], Quick, Ct)), StringComparison.Ordinal);
    }

    private static async Task UntilAsync(BootedContainer container, Func<IReadOnlyDictionary<string, string>, bool> condition, string what)
    {
        var watch = Stopwatch.StartNew();
        IReadOnlyDictionary<string, string> last = new Dictionary<string, string>();
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            last = await container.ShowAsync("nlbd", Ct);
            if (condition(last))
            {
                return;
            }

            await Task.Delay(250, Ct);
        }

        var journal = await container.ExecAsync(["journalctl", "-u", "nlbd", "--no-pager", "-n", "30"], Quick, Ct);
        Assert.Fail($"not within 60 s: {what} (ActiveState={last.GetValueOrDefault("ActiveState")}, NRestarts={last.GetValueOrDefault("NRestarts")})\n{journal.StandardOutput}");
    }
}
