using System.Globalization;
using System.Text;
using OpenNlb.Core.Membership;
using static OpenNlb.Core.DataPlane.NftText;

namespace OpenNlb.Core.DataPlane;

/// <summary>
/// The lease (docs/convergence.md, "The lease"): one element in <c>set lease</c>, renewed by the
/// kernel itself each time one of nlbd's heartbeats leaves the host. A renewal is then exactly
/// "a heartbeat went out": it needs no transaction, so it never waits behind a kernel move for
/// nftables' transaction lock (measured: renewals made as transactions came up to 87 ms too late
/// during moves on a loaded machine, and the host dropped its UDP flows meanwhile), and the lease
/// can never outlive the last heartbeat by more than its length.
/// </summary>
internal static class LeaseRenderer
{
    /// <summary>
    /// The set, with a first lease granted by the full ruleset itself. Dynamic: once the element
    /// has expired, the next heartbeat adds it again from the packet path.
    /// </summary>
    public static void RenderSet(StringBuilder s, DataPlaneSpec spec)
    {
        var lease = spec.Lease > TimeSpan.Zero ? $" timeout {Duration(spec.Lease)}" : string.Empty;
        s.AppendLine(Inv($"  set {NftNames.Lease} {{ typeof meta protocol; flags dynamic, timeout; elements = {{ ip{lease} }}; }}"));
    }

    /// <summary>
    /// At output: a heartbeat of this cluster's port, sent by nlbd's user, renews the lease. The
    /// user (<see cref="DataPlaneSpec.DaemonUid"/>) keeps other users' processes from renewing it
    /// after nlbd died; the type byte keeps hand-over chunks and remote replies, which the loop
    /// sends whether or not the kernel holds what it decided, from renewing it. Without a lease
    /// (tests about something else) there is nothing to renew.
    /// </summary>
    public static void RenderHeartbeatHook(StringBuilder s, DataPlaneSpec spec)
    {
        if (spec.Lease <= TimeSpan.Zero)
        {
            return;
        }

        s.AppendLine(Inv($"  chain {NftNames.HeartbeatOut} {{"));
        s.AppendLine("    type filter hook output priority 0; policy accept;");
        s.AppendLine(Inv($"    udp dport {spec.Cluster.Heartbeat.Port} meta skuid {spec.DaemonUid} {HeartbeatHeaderMatch} update @{NftNames.Lease} {{ meta protocol timeout {Duration(spec.Lease)} }}"));
        s.AppendLine("  }");
    }

    /// <summary>
    /// The first 6 bytes of the UDP payload (after the 64-bit UDP header): magic, version and the
    /// heartbeat type (docs/heartbeat.md).
    /// </summary>
    private static string HeartbeatHeaderMatch =>
        "@th,64,48 0x" + WireFormat.Magic.ToString("x8", CultureInfo.InvariantCulture)
        + WireFormat.Version.ToString("x2", CultureInfo.InvariantCulture)
        + WireFormat.TypeHeartbeat.ToString("x2", CultureInfo.InvariantCulture);
}
