using System.Diagnostics;
using OpenNlb.Linux.Processes;

namespace OpenNlb.EndToEnd.Tests.Packaging;

/// <summary>
/// A Debian bookworm minbase root made by debootstrap, kept in /var/cache/opennlb-test between
/// runs (a bootstrap takes a minute or so; a copy, seconds). It is made aside and renamed into
/// place, so a half-made root is never used; one older than <see cref="MaxAge"/>, or made from
/// another mirror, is made again, and deleting the directory forces that.
/// </summary>
internal static class CleanRoot
{
    public const string CacheDirectory = "/var/cache/opennlb-test";
    private static readonly TimeSpan MaxAge = TimeSpan.FromDays(30);

    private static string Template => Path.Combine(CacheDirectory, $"{DebianMirror.Suite}-minbase");

    private static string Stamp => Template + ".done";

    /// <summary>Debian packages downloaded by earlier installs, handed to apt again (it still resolves every dependency).</summary>
    public static string Archives => Path.Combine(CacheDirectory, "apt-archives");

    /// <summary>The cached root, bootstrapped first if there is none (or it is too old).</summary>
    public static async Task<string> EnsureAsync(string mirror, Action<string> log, CancellationToken ct)
    {
        // The stamp names the mirror the root was made from (its apt sources point there).
        if (File.Exists(Stamp) && Directory.Exists(Template) && DateTime.UtcNow - File.GetLastWriteTimeUtc(Stamp) < MaxAge
            && (await File.ReadAllTextAsync(Stamp, ct)).Trim() == mirror)
        {
            log($"clean root: cached {Template} from {File.GetLastWriteTimeUtc(Stamp):yyyy-MM-dd}");
            return Template;
        }

        Directory.CreateDirectory(CacheDirectory);
        var partial = $"{Template}.partial-{Environment.ProcessId}";
        await ChrootCopy.RemoveTreeAsync(partial);
        var watch = Stopwatch.StartNew();
        var result = await CommandRunner.RunAsync(
            "debootstrap", ["--variant=minbase", DebianMirror.Suite, partial, mirror], TimeSpan.FromMinutes(15), cancellationToken: ct);
        if (result.ExitCode != 0)
        {
            await ChrootCopy.RemoveTreeAsync(partial);
            throw new InvalidOperationException($"{result.Command} failed ({result.ExitCode}):\n{Tail(result.StandardOutput + result.StandardError)}");
        }

        // The packages debootstrap installed are not needed again: smaller copies.
        foreach (var deb in Directory.EnumerateFiles(Path.Combine(partial, "var/cache/apt/archives"), "*.deb"))
        {
            File.Delete(deb);
        }

        File.Delete(Stamp);
        if (Directory.Exists(Template))
        {
            var old = $"{Template}.old-{Environment.ProcessId}";
            Directory.Move(Template, old);
            await ChrootCopy.RemoveTreeAsync(old);
        }

        Directory.Move(partial, Template);
        await File.WriteAllTextAsync(Stamp, mirror + "\n", ct);
        log($"clean root: bootstrapped {DebianMirror.Suite} minbase from {mirror} in {watch.Elapsed.TotalSeconds:0} s");
        return Template;
    }

    private static string Tail(string text) => string.Join('\n', text.Split('\n').TakeLast(20));
}
