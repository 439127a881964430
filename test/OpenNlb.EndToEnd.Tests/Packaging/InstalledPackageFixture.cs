using System.Diagnostics;
using OpenNlb.EndToEnd.Tests.Support;
using OpenNlb.Lab;
using OpenNlb.Linux.Processes;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.Packaging;

/// <summary>
/// The Debian package, built by packaging/build-deb.sh and installed with apt into a copy of a
/// clean Debian root, its dependencies resolved from the mirror: what the tests of the installed
/// package use. When the machine cannot do this (not root, a tool missing, no mirror), it says
/// why in <see cref="SkipReason"/>; a failure to build or to install fails the tests.
/// </summary>
public sealed class InstalledPackageFixture : IAsyncLifetime
{
    private static readonly string[] Tools = ["debootstrap", "dpkg-deb", "readelf", "unshare", "chroot", "ip", "nft"];

    private readonly List<string> _log = [];
    private Exception? _failure;

    public string? SkipReason { get; private set; }

    public string Deb { get; private set; } = "";

    public string Version { get; private set; } = "";

    /// <summary>A copy of the clean root with the package (and man-db) installed.</summary>
    internal ChrootCopy? Root { get; private set; }

    /// <summary>What happened and how long it took, for each test's output.</summary>
    public IReadOnlyList<string> Log => _log;

    /// <summary>Throws what went wrong while building or installing, or skips with why it could not be done.</summary>
    public void Require()
    {
        if (SkipReason is not null)
        {
            Assert.Skip(SkipReason);
        }

        if (_failure is not null)
        {
            throw new InvalidOperationException("building or installing the package failed", _failure);
        }
    }

    public async ValueTask InitializeAsync()
    {
        if (Environment.UserName != "root")
        {
            SkipReason = "needs root (debootstrap, chroot, network namespaces)";
            return;
        }

        if (Tools.FirstOrDefault(t => !Requires.HasTool(t)) is { } missing)
        {
            SkipReason = $"needs '{missing}' (scripts/install-deps.sh installs it)";
            return;
        }

        var ct = TestContext.Current.CancellationToken;
        var mirror = DebianMirror.Find();
        if (await DebianMirror.UnreachableAsync(mirror, ct) is { } unreachable)
        {
            SkipReason = unreachable;
            return;
        }

        try
        {
            await LeftoversAsync();
            await BuildAsync(ct);
            var template = await CleanRoot.EnsureAsync(mirror, _log.Add, ct);
            var watch = Stopwatch.StartNew();
            Root = await ChrootCopy.CreateAsync(template, ct);
            _log.Add($"copy of the clean root: {watch.Elapsed.TotalSeconds:0.0} s");
            watch.Restart();
            await InstallAsync(Root, ct);
            _log.Add($"apt-get update and install (opennlb, its dependencies, man-db): {watch.Elapsed.TotalSeconds:0.0} s");
        }
        catch (Exception e)
        {
            _failure = e;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Root is not null)
        {
            await Root.DisposeAsync();
        }
    }

    private async Task BuildAsync(CancellationToken ct)
    {
        var repository = ToolLocator.FindRepositoryRoot(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException($"no {ToolLocator.SolutionFile} above {AppContext.BaseDirectory}");
        var watch = Stopwatch.StartNew();
        var built = await CommandRunner.RunAsync(Path.Combine(repository, "packaging/build-deb.sh"), [], TimeSpan.FromMinutes(10), cancellationToken: ct);
        if (built.ExitCode != 0)
        {
            throw new InvalidOperationException($"packaging/build-deb.sh exited {built.ExitCode}:\n{built.StandardError}");
        }

        Deb = built.StandardOutput.Trim().Split('\n')[^1];
        Version = (await CommandRunner.RunCheckedAsync("dpkg-deb", ["--field", Deb, "Version"], TimeSpan.FromSeconds(30), cancellationToken: ct)).StandardOutput.Trim();
        _log.Add($"build-deb.sh: {watch.Elapsed.TotalSeconds:0} s, {Path.GetFileName(Deb)}, {new FileInfo(Deb).Length / 1024.0 / 1024:0.0} MiB");
    }

    /// <summary>
    /// apt-get install, as the docs say: a .deb path is copied into the root and installed from
    /// there, every dependency resolved by apt from the mirror; Recommends are left out, so that a
    /// dependency missing from Depends cannot hide behind one. Packages downloaded by earlier runs
    /// are handed to apt again, and what it downloads now is kept for the next run.
    /// </summary>
    internal static async Task AptInstallAsync(ChrootCopy root, IReadOnlyList<string> packages, CancellationToken ct)
    {
        var arguments = new List<string> { "apt-get", "install", "-y", "-q", "--no-install-recommends" };
        foreach (var package in packages)
        {
            if (package.EndsWith(".deb", StringComparison.Ordinal))
            {
                var inside = "/tmp/" + Path.GetFileName(package);
                File.Copy(package, root.HostPath(inside), overwrite: true);
                arguments.Add(inside);
            }
            else
            {
                arguments.Add(package);
            }
        }

        var archives = root.HostPath("/var/cache/apt/archives");
        Directory.CreateDirectory(CleanRoot.Archives);
        foreach (var cached in Directory.EnumerateFiles(CleanRoot.Archives, "*.deb"))
        {
            File.Copy(cached, Path.Combine(archives, Path.GetFileName(cached)), overwrite: true);
        }

        await root.RunCheckedAsync(["apt-get", "update", "-q"], TimeSpan.FromMinutes(5), ct);
        await root.RunCheckedAsync(arguments, TimeSpan.FromMinutes(10), ct);
        foreach (var downloaded in Directory.EnumerateFiles(archives, "*.deb"))
        {
            File.Copy(downloaded, Path.Combine(CleanRoot.Archives, Path.GetFileName(downloaded)), overwrite: true);
        }
    }

    private Task InstallAsync(ChrootCopy root, CancellationToken ct) => AptInstallAsync(root, [Deb, "man-db"], ct);

    /// <summary>Copies left by an interrupted run (over an hour old) are removed, with anything still running in them.</summary>
    private static async Task LeftoversAsync()
    {
        foreach (var dir in Directory.EnumerateDirectories(Path.GetDirectoryName(ChrootCopy.Prefix)!, Path.GetFileName(ChrootCopy.Prefix) + "*"))
        {
            if (DateTime.UtcNow - Directory.GetLastWriteTimeUtc(dir) > TimeSpan.FromHours(1))
            {
                await ChrootCopy.RemoveTreeAsync(dir);
            }
        }
    }
}
