using OpenNlb.Core.Membership;

namespace OpenNlb.Core.Convergence;

/// <summary>
/// A changed cluster section, read by <c>nlb reload</c>, waits here until every live host has read
/// the same one; then each host switches to it (docs/control.md, "Changing the cluster section").
/// A host alone with a new section would be kept out of its cluster, so no host switches before
/// all of them can.
/// </summary>
public sealed partial class ConvergenceNode
{
    /// <summary>The staged section's fingerprint; 0: nothing staged.</summary>
    private ulong _staged;

    /// <summary>Peers heard already switched to <see cref="_staged"/>, and when last.</summary>
    private readonly Dictionary<int, long> _heardSwitched = [];

    /// <summary>The fingerprint of the cluster section this host waits to switch to; 0: none.</summary>
    public ulong Staged => _staged;

    /// <summary>
    /// Waits for every live host to stage <paramref name="fingerprint"/> too (advertised in each
    /// heartbeat). This host's own fingerprint, or 0, cancels what was staged.
    /// </summary>
    public void Stage(ulong fingerprint)
    {
        _staged = fingerprint == _settings.Self.Fingerprint ? 0 : fingerprint;
        _heardSwitched.Clear();
        _sendNow = true;
    }

    /// <summary>
    /// The live hosts that have neither staged <see cref="Staged"/> nor switched to it: what the
    /// switch waits for. Hosts already kept out for another section do not count; they are not
    /// in this cluster.
    /// </summary>
    public IReadOnlyList<int> StagePending(long nowMs)
    {
        nowMs = Clock(nowMs);
        if (_staged == 0)
        {
            return [];
        }

        return _peers.Values.SelectMany(l => l)
            .Where(p => p.Excluded is null && p.IsLive(nowMs, _settings.DetectionMs) && p.Latest.Staged != _staged
                && !(_heardSwitched.TryGetValue(p.Priority, out var heard) && nowMs - heard <= _settings.DetectionMs))
            .Select(p => p.Priority)
            .Distinct()
            .Order()
            .ToList();
    }

    /// <summary>Every live host has staged this host's staged section, or switched to it already: switch now.</summary>
    public bool SwitchDue(long nowMs) => _staged != 0 && StagePending(nowMs).Count == 0;

    /// <summary>
    /// A heartbeat of a host that switched to the section staged here: it counts for the switch,
    /// and keeps that host's last word on the old section alive, as if it were said again.
    /// Taken as a mismatch, or left to fall silent, it would make this host re-map without that
    /// host and claim its buckets while that host still keeps its flows in them: if this host
    /// cannot switch (the kernel refuses the new ruleset), it goes on serving its own share only.
    /// </summary>
    private bool HeardSwitched(Heartbeat hb, long nowMs)
    {
        if (_staged == 0 || hb.Fingerprint != _staged)
        {
            return false;
        }

        _heardSwitched[hb.HostPriority] = nowMs;
        if (_peers.TryGetValue(hb.HostPriority, out var records))
        {
            var same = records.FindIndex(r => r.Incarnation == hb.Incarnation && r.Excluded is null);
            if (same >= 0 && records[same].IsLive(nowMs, _settings.DetectionMs))
            {
                records[same] = records[same] with { LastHeardMs = Math.Max(records[same].LastHeardMs, nowMs) };
            }
        }

        return true;
    }

    /// <summary>Awaited peers (<see cref="NodeSettings.AwaitPeers"/>) not yet heard live on this section.</summary>
    private bool AwaitingToHear(long nowMs) => nowMs < _settings.AwaitUntilMs
        && _settings.AwaitPeers.Any(p => !HeardOnThisSection(p, nowMs));

    /// <summary>An awaited peer heard on this section that does not take part yet: no map may leave it out.</summary>
    private bool AwaitingToCount(Dictionary<int, PeerRecord> participants, long nowMs) => nowMs < _settings.AwaitUntilMs
        && _settings.AwaitPeers.Any(p => !participants.ContainsKey(p) && HeardOnThisSection(p, nowMs));

    /// <summary>A live heartbeat of <paramref name="priority"/> with this host's cluster section (not kept out as a mismatch).</summary>
    private bool HeardOnThisSection(int priority, long nowMs) =>
        _peers.TryGetValue(priority, out var records) && records.Any(r => r.Excluded is null && r.IsLive(nowMs, _settings.DetectionMs));
}
