using OpenNlb.Linux.Processes;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.Packaging;

/// <summary>
/// The Debian package as an operator meets it: installed with apt into a clean Debian root, its
/// commands, man pages, unit and example configuration in place, its maintainer scripts right on
/// upgrade, removal and purge. The installed daemon itself: <see cref="InstalledDaemonTests"/>.
/// </summary>
[Collection(InstalledPackageCollection.Name)]
public sealed class InstalledPackageTests(InstalledPackageFixture package)
{
    private static readonly TimeSpan Quick = TimeSpan.FromSeconds(60);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Package_InstallsItsCommandsManPagesUnitAndExample_IntoACleanRoot()
    {
        package.Require();
        var root = package.Root!;
        Report();

        foreach (var path in new[] { "/usr/sbin/nlbd", "/usr/bin/nlb", "/lib/systemd/system/nlbd.service", "/etc/opennlb/nlbd.yaml.example", "/usr/share/doc/opennlb/service.md", "/usr/share/doc/opennlb/configuration.md", "/usr/share/doc/opennlb/copyright" })
        {
            Assert.True(File.Exists(root.HostPath(path)), $"{path} is not installed");
        }

        Assert.Contains("Status: install ok installed", await root.RunCheckedAsync(["dpkg", "-s", "opennlb"], Quick, Ct), StringComparison.Ordinal);

        // The commands run from the package alone: no .NET on this root.
        Assert.False(Directory.Exists(root.HostPath("/usr/share/dotnet")), "the clean root has .NET: the test would not show the package needs none");
        var help = await root.RunCheckedAsync(["nlb", "--help"], Quick, Ct);
        foreach (var command in new[] { "query", "start", "stop", "drainstop", "suspend", "resume", "enable", "disable", "drain", "owner" })
        {
            Assert.Contains($"\n  {command}", help, StringComparison.Ordinal);
        }

        Assert.Equal(package.Version, (await root.RunCheckedAsync(["nlb", "--version"], Quick, Ct)).Trim());
        Assert.Contains("--config", await root.RunCheckedAsync(["nlbd", "--help"], Quick, Ct), StringComparison.Ordinal);

        // Man pages: found by man, and rendered without a single groff warning.
        var pages = await root.RunCheckedAsync(["man", "-w", "nlb", "nlbd"], Quick, Ct);
        Assert.Equal(["/usr/share/man/man8/nlb.8.gz", "/usr/share/man/man8/nlbd.8.gz"], pages.Trim().Split('\n'));
        foreach (var page in new[] { "nlb", "nlbd" })
        {
            var rendered = await root.RunAsync(["env", "MANWIDTH=100", "man", "--warnings", page], Quick, Ct);
            Assert.True(rendered.ExitCode == 0 && rendered.StandardError.Length == 0, $"man {page}: {rendered.StandardError}");
            Assert.Contains("SYNOPSIS", rendered.StandardOutput, StringComparison.Ordinal);
        }

        Assert.Contains("nlb drainstop", (await root.RunAsync(["env", "MANWIDTH=100", "man", "nlb"], Quick, Ct)).StandardOutput, StringComparison.Ordinal);

        // Enabled as Debian enables services, and started by nothing: there is no configuration.
        Assert.Equal("/lib/systemd/system/nlbd.service", new FileInfo(root.HostPath("/etc/systemd/system/multi-user.target.wants/nlbd.service")).LinkTarget);
        Assert.False(File.Exists(root.HostPath("/etc/opennlb/nlbd.yaml")));

        // The example configuration is valid as shipped (owner reads and validates it whole).
        var owner = await root.RunCheckedAsync(["nlb", "owner", "198.51.100.7:51234", "--port", "80", "--config", "/etc/opennlb/nlbd.yaml.example", "--members", "1,2"], Quick, Ct);
        Assert.Contains("owner:", owner, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unit_PassesSystemdAnalyzeVerify()
    {
        package.Require();
        if (!Support.Requires.HasTool("systemd-analyze"))
        {
            Assert.Skip("systemd-analyze is not installed on this machine");
        }

        var root = package.Root!;

        // verify wants the Exec*= programs where the unit says; on this host they are in the copy.
        var unit = await File.ReadAllTextAsync(root.HostPath("/lib/systemd/system/nlbd.service"), Ct);
        var directory = Directory.CreateTempSubdirectory("onlb-tp-unit-");
        try
        {
            var copy = Path.Combine(directory.FullName, "nlbd.service");
            var lines = unit.Split('\n').Select(l => l.StartsWith("Exec", StringComparison.Ordinal) && l.Contains("=/", StringComparison.Ordinal)
                ? l.Replace("=/", "=" + root.Root + "/", StringComparison.Ordinal)
                : l);
            await File.WriteAllTextAsync(copy, string.Join('\n', lines), Ct);
            var verify = await CommandRunner.RunAsync("systemd-analyze", ["verify", "--man=no", copy], Quick, cancellationToken: Ct);

            // verify exits 0 on unknown keys and bad values too; it only warns. Any warning fails.
            Assert.True(verify.ExitCode == 0 && verify.StandardError.Trim().Length == 0 && verify.StandardOutput.Trim().Length == 0,
                $"systemd-analyze verify: {verify.StandardOutput}{verify.StandardError}");
        }
        finally
        {
            directory.Delete(recursive: true);
        }

        // The unit's exposure as systemd rates it offline, against the installed root.
        var security = await CommandRunner.RunAsync("systemd-analyze", ["security", "--offline=true", $"--root={root.Root}", "--no-pager", "nlbd.service"], Quick, cancellationToken: Ct);
        var overall = security.StandardOutput.Split('\n').FirstOrDefault(l => l.Contains("Overall exposure level", StringComparison.Ordinal));
        Assert.True(overall is not null, $"systemd-analyze security: {security.StandardOutput}{security.StandardError}");
        TestContext.Current.TestOutputHelper?.WriteLine(overall.Trim());
        var score = double.Parse(overall.Split(':')[1].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(score <= 5.0, $"the unit's exposure rose to {score} (was 4.0 when the hardening was written): {overall}");
    }

    [Fact]
    public async Task Upgrade_KeepsTheOperatorsChoices_RemoveStopsAndPurgeLeavesTheOperatorsFiles()
    {
        package.Require();
        await using var root = await ChrootCopy.CreateAsync(package.Root!.Root, Ct);

        // The operator's own files, made as docs/service.md says.
        File.Copy(root.HostPath("/etc/opennlb/nlbd.yaml.example"), root.HostPath("/etc/opennlb/nlbd.yaml"));
        await root.RunCheckedAsync(["sh", "-c", "(umask 077; head -c 32 /dev/urandom | base64 > /etc/opennlb/cluster.key)"], Quick, Ct);

        // An upgrade: the same package as a later version. The untouched example is replaced
        // without a question (it is a conffile); enablement stays.
        var later = await Repack.WithVersionAsync(package.Deb, package.Version + "+1", Ct);
        try
        {
            await InstalledPackageFixture.AptInstallAsync(root, [later], Ct);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(later)!, recursive: true);
        }

        Assert.Contains($"Version: {package.Version}+1", await root.RunCheckedAsync(["dpkg", "-s", "opennlb"], Quick, Ct), StringComparison.Ordinal);
        Assert.True(File.Exists(root.HostPath("/etc/systemd/system/multi-user.target.wants/nlbd.service")));

        // Remove: the programs go, configuration stays (the conffile too, as dpkg keeps them).
        await root.RunCheckedAsync(["apt-get", "remove", "-y", "-q", "opennlb"], Quick, Ct);
        foreach (var gone in new[] { "/usr/sbin/nlbd", "/usr/bin/nlb", "/usr/lib/opennlb/nlbd", "/lib/systemd/system/nlbd.service" })
        {
            Assert.False(File.Exists(root.HostPath(gone)), $"{gone} is still there after remove");
        }

        Assert.True(File.Exists(root.HostPath("/etc/opennlb/nlbd.yaml.example")));

        // Purge: the package's conffile and the enablement go; the operator's configuration and key stay.
        await root.RunCheckedAsync(["apt-get", "purge", "-y", "-q", "opennlb"], Quick, Ct);
        Assert.False(File.Exists(root.HostPath("/etc/opennlb/nlbd.yaml.example")));
        Assert.False(File.Exists(root.HostPath("/etc/systemd/system/multi-user.target.wants/nlbd.service")));
        Assert.False(Directory.Exists(root.HostPath("/usr/lib/opennlb")));
        Assert.True(File.Exists(root.HostPath("/etc/opennlb/nlbd.yaml")));
        Assert.True(File.Exists(root.HostPath("/etc/opennlb/cluster.key")));
        Assert.Contains("not installed", (await root.RunAsync(["dpkg", "-s", "opennlb"], Quick, Ct)).StandardError, StringComparison.Ordinal);
    }

    private void Report()
    {
        foreach (var line in package.Log)
        {
            TestContext.Current.TestOutputHelper?.WriteLine(line);
        }
    }
}
