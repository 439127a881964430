using OpenNlb.Lab.Control;

namespace OpenNlb.Lab;

/// <summary>
/// One change of the lab's cluster section, made in every host's file as an operator would
/// (docs/control.md, "Changing the cluster section"): the rule web (the TCP flows') takes ports
/// 80-81, sticky drops its affinity, a rule dns (UDP 53) is added. The rules echo and iperf stay,
/// and no flow's bucket moves under web, so the lab's model of the map still holds for web and echo.
/// </summary>
public static class LabClusterChange
{
    /// <summary>The rule only the changed section has.</summary>
    public const string AddedRule = "dns";

    private static readonly (string From, string To)[] Edits =
    [
        ("ports: 80\n", "ports: 80-81\n"),
        ("affinity: single\n      affinityTimeoutSeconds: 0\n    - name: iperf", "affinity: none\n    - name: iperf"),
        ("host:\n", $"    - name: {AddedRule}\n      ports: 53\n      protocol: udp\n      affinity: none\nhost:\n"),
    ];

    /// <summary>
    /// Writes the changed section into every host's file; throws if a file is not the lab's own.
    /// Returns what the files held, for <see cref="RestoreAsync"/>.
    /// </summary>
    public static async Task<IReadOnlyDictionary<int, string>> WriteAsync(LabHandle lab, CancellationToken cancellationToken)
    {
        var originals = new Dictionary<int, string>();
        foreach (var host in lab.Hosts)
        {
            var path = lab.Paths.Config(host.HostPriority);
            var text = await File.ReadAllTextAsync(path, cancellationToken);
            originals[host.HostPriority] = text;
            foreach (var (from, to) in Edits)
            {
                if (!text.Contains(from, StringComparison.Ordinal))
                {
                    throw new LabException($"{path}: does not have {from.Trim()} to change; not the file `nlb lab up` wrote");
                }

                text = text.Replace(from, to, StringComparison.Ordinal);
            }

            await File.WriteAllTextAsync(path, text, cancellationToken);
        }

        return originals;
    }

    /// <summary>Puts back what <see cref="WriteAsync"/> found.</summary>
    public static async Task RestoreAsync(LabHandle lab, IReadOnlyDictionary<int, string> originals, CancellationToken cancellationToken)
    {
        foreach (var (host, text) in originals)
        {
            await File.WriteAllTextAsync(lab.Paths.Config(host), text, cancellationToken);
        }
    }

    /// <summary>Every host runs the changed section (it has <see cref="AddedRule"/>) and has nothing staged any more.</summary>
    public static Task WaitSwitchedAsync(LabHandle lab, IReadOnlyCollection<int> hosts, TimeSpan timeout, CancellationToken cancellationToken) =>
        LabConvergence.WaitForAsync(
            lab,
            hosts,
            (_, status) => status is { Staged: null } s && s.Rules.Any(r => r.Name == AddedRule),
            (_, status) => status is { } s
                ? $"{s.State}, staged {s.Staged?.Fingerprint ?? "none"}, rules {string.Join(' ', s.Rules.Select(r => r.Name))}"
                : "no status",
            timeout,
            "did not switch to the changed cluster section",
            TimeSpan.FromMilliseconds(100),
            cancellationToken);

    /// <summary>`nlb reload` on each host in turn, as an operator would; the answers, in host order.</summary>
    public static async Task<IReadOnlyList<ControlResponse>> ReloadEachAsync(LabHandle lab, IReadOnlyCollection<int> hosts, CancellationToken cancellationToken)
    {
        var answers = new List<ControlResponse>();
        foreach (var host in hosts)
        {
            var answer = await lab.ControlAsync(host, ControlRequest.Reload, cancellationToken);
            if (!answer.Ok)
            {
                throw new LabException($"h{host} refused the reload: {answer.Error}");
            }

            answers.Add(answer);
        }

        return answers;
    }
}
