using OpenNlb.Core.Configuration;
using OpenNlb.Core.Membership;

namespace OpenNlb.Linux.Files;

/// <summary>
/// Gets the cluster key: from the configuration itself, or from <c>cluster.heartbeat.keyFile</c>,
/// which must be readable by its owner only (the key authenticates every heartbeat). nlbd reads it
/// at start; <c>nlb check</c> reads it the same way, so that a file it passes nlbd takes.
/// </summary>
public static class ClusterKeySource
{
    private const UnixFileMode GroupOrOther =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>The key, or null with the reason in <paramref name="problem"/> (it never holds the key).</summary>
    public static ClusterKey? Load(HeartbeatConfig heartbeat, out string problem)
    {
        problem = "";
        if (heartbeat.Key is { } key)
        {
            return key;
        }

        var path = heartbeat.KeyFile!;
        const string Where = "cluster.heartbeat.keyFile";
        string text;
        try
        {
            // nlbd runs on Linux only; the guard is for the platform analyzer.
            var mode = OperatingSystem.IsWindows() ? UnixFileMode.None : File.GetUnixFileMode(path);
            if ((mode & GroupOrOther) != 0)
            {
                problem = $"{Where}: {path} may be read or written by group or others (mode {Convert.ToString((int)mode, 8)}); run chmod 600 {path}";
                return null;
            }

            if (new FileInfo(path).Length > 4096)
            {
                problem = $"{Where}: {path} is larger than 4096 bytes; it should hold one base64 key, {ClusterKey.HowToMake}";
                return null;
            }

            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            problem = $"{Where}: {path} does not exist; make it with (umask 077; head -c 32 /dev/urandom | base64 > {path}), and copy the same file to every host";
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"{Where}: cannot read {path}: {e.Message}";
            return null;
        }

        if (!ClusterKey.TryFromBase64(text, out var fromFile, out var why))
        {
            problem = $"{Where}: the key in {path} {why}";
            return null;
        }

        return fromFile;
    }
}
