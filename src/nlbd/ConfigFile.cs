using System.Net.Sockets;
using System.Security.Cryptography;
using OpenNlb.Core.Configuration;
using OpenNlb.Linux.Links;

namespace OpenNlb.Daemon;

/// <summary>Reads this host's configuration file for a start or a reload: every error, each prefixed with the file.</summary>
internal static class ConfigFile
{
    /// <summary>The configuration, or every error; and the SHA-256 (hex) of the bytes read, which <c>nlb params</c> shows.</summary>
    public static (NlbConfig? Config, IReadOnlyList<string> Errors, string Sha256) Read(string path)
    {
        string text;
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);

            // Decoded as File.ReadAllText would (a byte order mark is skipped), from the bytes the digest is of.
            using var reader = new StreamReader(new MemoryStream(bytes), detectEncodingFromByteOrderMarks: true);
            text = reader.ReadToEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return (null, [$"cannot read {path}: {e.Message}"], string.Empty);
        }

        var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));

        var result = ConfigLoader.Parse(text);
        var errors = result.Errors.Select(e => e.ToString()).ToList();
        if (result.Config is { } c)
        {
            errors.AddRange(DataPlaneLimits(c));
        }

        return errors.Count > 0 || result.Config is null
            ? (null, errors.Select(e => $"{path}: {e}").ToList(), sha256)
            : (result.Config, [], sha256);
    }

    /// <summary>What the configuration model allows but this version of the data plane cannot do yet.</summary>
    private static IEnumerable<string> DataPlaneLimits(NlbConfig c)
    {
        for (var i = 0; i < c.Cluster.Vips.Count; i++)
        {
            if (c.Cluster.Vips[i].AddressFamily != AddressFamily.InterNetwork)
            {
                yield return $"cluster.vips[{i}]: {c.Cluster.Vips[i]} is IPv6; the data plane supports IPv4 VIPs only for now";
            }
        }

        if (c.Host.DedicatedIp.Address.AddressFamily != AddressFamily.InterNetwork)
        {
            yield return $"host.dedicatedIp: {c.Host.DedicatedIp} is IPv6; heartbeats need an IPv4 dedicated IP for now";
        }

        if (!ClusterInterface.Exists(c.Host.Interface))
        {
            yield return $"host.interface: no interface named '{c.Host.Interface}' on this host";
        }
    }
}
