using OpenNlb.Core.Membership;

namespace OpenNlb.Core.Configuration.Validation;

/// <summary>
/// The cluster key: exactly one of <c>key</c> and <c>keyFile</c>. The key's own length is the
/// <see cref="ClusterKey"/>'s to enforce; the key file is only named here, nlbd reads it.
/// </summary>
internal static class KeyRules
{
    public const string KeyPath = "cluster.heartbeat.key";
    public const string KeyFilePath = "cluster.heartbeat.keyFile";

    public static void Check(HeartbeatConfig heartbeat, ErrorSink errors)
    {
        if (!errors.IsKnown(KeyPath) || !errors.IsKnown(KeyFilePath))
        {
            return;
        }

        if (heartbeat.Key is null && heartbeat.KeyFile is null)
        {
            errors.Add(
                KeyPath,
                $"a cluster key is required: give key (base64, at least {ClusterKey.MinLength} bytes) or keyFile (an absolute path to a file holding it); {ClusterKey.HowToMake}");
            return;
        }

        if (heartbeat.Key is not null && heartbeat.KeyFile is not null)
        {
            errors.Add(KeyFilePath, "give either key or keyFile, not both");
            return;
        }

        if (heartbeat.KeyFile is { } file && !IsAbsolutePath(file))
        {
            errors.Add(KeyFilePath, $"{ConfigPath.Quote(file)} is not an absolute file path; write it like /etc/opennlb/cluster.key");
        }
    }

    // A path nlbd opens as root: absolute, so it does not depend on the working directory, and
    // without NUL, which no file name holds.
    private static bool IsAbsolutePath(string path) =>
        path.Length > 1 && path[0] == '/' && !path.Contains('\0', StringComparison.Ordinal);
}
