namespace OpenNlb.EndToEnd.Tests.Packaging;

/// <summary>
/// The settings of a systemd unit file that the install test carries out by hand (there is no
/// systemd in a chroot): the command line, the capability bounding set, the runtime directory.
/// </summary>
internal sealed class UnitFile(IReadOnlyDictionary<string, string> settings)
{
    public static UnitFile Parse(string text)
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (line.Length == 0 || line[0] is '#' or ';' or '[' || equals < 0)
            {
                continue;
            }

            settings.TryAdd(line[..equals], line[(equals + 1)..]);
        }

        return new UnitFile(settings);
    }

    public string this[string key] =>
        settings.TryGetValue(key, out var value) ? value : throw new InvalidOperationException($"the unit has no {key}=");

    /// <summary>ExecStart= split into words (the unit's command line has no quoting).</summary>
    public IReadOnlyList<string> ExecStart => this["ExecStart"].Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>CapabilityBoundingSet= as setpriv's --bounding-set wants it: -all,+net_admin,...</summary>
    public string SetprivBoundingSet =>
        string.Join(',', this["CapabilityBoundingSet"].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(c => "+" + c.ToLowerInvariant().Replace("cap_", "", StringComparison.Ordinal))
            .Prepend("-all"));
}
