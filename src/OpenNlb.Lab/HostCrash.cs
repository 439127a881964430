using System.Diagnostics;
using System.Net;

namespace OpenNlb.Lab;

/// <summary>
/// A host dies outright: its nlbd is killed (SIGKILL) and its cable pulled in the same instant.
/// Killing the daemon alone would leave the host's kernel serving until its lease ran out; pulling
/// the cable alone would leave a daemon that comes back with the link. The failover time is
/// measured from the kill until new connections in the dead host's buckets are served by the
/// survivors (<see cref="FailoverProbe"/>).
/// </summary>
public static class HostCrash
{
    /// <summary>The client ports searched for flows the dead host owned.</summary>
    private const int FirstPort = 10000;
    private const int PortCount = 50000;

    /// <param name="members">The members before the crash (the host included).</param>
    /// <param name="node">The client to probe from, and <paramref name="source"/> one of its addresses.</param>
    public static async Task<CrashResult> CrashAsync(
        LabHandle lab, int host, IReadOnlyList<int> members, string node, IPAddress source, TimeSpan limit, CancellationToken cancellationToken)
    {
        var before = new LabModel(lab, members);
        var after = new LabModel(lab, members.Where(m => m != host));
        var name = LabNames.Host(host);
        var ports = Enumerable.Range(FirstPort, PortCount).Where(p => before.OwnerOf("web", source, p) == name).ToList();

        var clock = Stopwatch.StartNew();
        var killed = lab.KillNlbdAsync(host, Signal.SIGKILL);
        var down = lab.SetLinkDownAsync(host, cancellationToken);
        var rounds = await FailoverProbe.MeasureAsync(lab, node, source, ports, after, clock, limit, cancellationToken);
        _ = await killed;
        await down;
        return new CrashResult(host, rounds.LastOrDefault(r => r.Served)?.Start, rounds);
    }

    /// <summary>Puts the cable back, restarts the host's nlbd, and waits until all of <paramref name="members"/> have converged.</summary>
    public static async Task RecoverAsync(LabHandle lab, int host, IReadOnlyList<int> members, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await lab.SetLinkUpAsync(host, cancellationToken);
        lab.StartNlbd(host);
        await LabConvergence.WaitAsync(lab, members, timeout, cancellationToken);
    }
}
