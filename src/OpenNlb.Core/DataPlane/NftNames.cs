using System.Globalization;

namespace OpenNlb.Core.DataPlane;

/// <summary>Names of the objects in the opennlb tables, in one place for the renderer and the tests.</summary>
public static class NftNames
{
    public const string Table = DataPlaneSpec.TableName;

    /// <summary>Chain whose only rule is this host's -300 verdict for traffic no port rule covers.</summary>
    public const string Uncovered = "uncovered";

    /// <summary>Verdict map (protocol . port) -> the port rule's chain, for rules that apply to every VIP.</summary>
    public const string DispatchAll = "dispatch_all";

    /// <summary>Verdict map (VIP . protocol . port) -> the port rule's chain, for rules of one VIP.</summary>
    public const string DispatchVip = "dispatch_vip";

    /// <summary>The -150 base chain: confirmed TCP passes at once, the rest of the VIP's traffic goes to <see cref="Admit"/>.</summary>
    public const string Conntrack = "conntrack";

    /// <summary>Chain that applies the lease and sends flows conntrack has not confirmed to their rule's admission.</summary>
    public const string Admit = "admit";

    /// <summary>Like <see cref="DispatchAll"/>, to the admission chains.</summary>
    public const string AdmitAll = "admit_all";

    /// <summary>Like <see cref="DispatchVip"/>, to the admission chains.</summary>
    public const string AdmitVip = "admit_vip";

    /// <summary>Set holding one element ("ip") while nlbd's lease runs.</summary>
    public const string Lease = "lease";

    /// <summary>Output chain in which this host's heartbeats renew the lease as they leave.</summary>
    public const string HeartbeatOut = "heartbeat_out";

    /// <summary>Set holding one element ("ip") while a host that owns nothing any more is still writing its buckets to kept: no new flow at all.</summary>
    public const string Hold = "hold";

    /// <summary>Set of UDP flows (client . client port . VIP . VIP port) another host keeps.</summary>
    public const string ForeignFlows = "foreign_flows";

    /// <summary>Chain that admits a new flow of uncovered traffic (the default host's).</summary>
    public const string UncoveredAdmit = "uncovered_admit";

    /// <summary>Chain that admits a new flow of uncovered traffic in the default host.</summary>
    public const string UncoveredOwn = "uncovered_own";

    /// <summary>Named counter of the packets of uncovered traffic the -300 filter passes (this host is or was the default host).</summary>
    public const string UncoveredAccepted = "uncovered_accepted";

    /// <summary>Named counter of the packets of uncovered traffic the -300 filter drops.</summary>
    public const string UncoveredDropped = "uncovered_dropped";

    /// <summary>Named counter of rule i's packets the -300 filter passes: a bucket (or single-host rule) this host owns or keeps.</summary>
    public static string AcceptedCounter(int rule) => Name(rule, "accepted");

    /// <summary>Named counter of rule i's packets the -300 filter drops: another host's, or a disabled rule's.</summary>
    public static string DroppedCounter(int rule) => Name(rule, "dropped");

    /// <summary>Chain whose only rule counts and drops disabled rule i's traffic.</summary>
    public static string DisabledChain(int rule) => Name(rule, "disabled");

    /// <summary>Map bucket -> accept for the buckets of multiple-host rule i this host owns or keeps (-300).</summary>
    public static string BucketMap(int rule) => Name(rule, "buckets");

    /// <summary>Map bucket -> goto keep chain (or drop) for the buckets of multiple-host rule i this host keeps (-150).</summary>
    public static string KeptMap(int rule) => Name(rule, "kept");

    /// <summary>Chain that hashes multiple-host rule i's traffic of one transport (tcp, udp) into its buckets.</summary>
    public static string RuleChain(int rule, string transport) => Name(rule, transport);

    /// <summary>Chain that hashes a flow of rule i that conntrack has not confirmed, to admit it (-150).</summary>
    public static string RuleAdmitChain(int rule, string transport) => Name(rule, $"{transport}_admit");

    /// <summary>Chain whose only rule is this host's -300 verdict for single-host rule i.</summary>
    public static string SingleChain(int rule) => Name(rule, "single");

    /// <summary>Chain whose only rule is this host's -150 admission of a new flow of single-host rule i.</summary>
    public static string SingleAdmitChain(int rule) => Name(rule, "single_admit");

    /// <summary>Chain that admits a new flow of rule i where this host owns it.</summary>
    public static string OwnChain(int rule) => Name(rule, "own");

    /// <summary>Chain that admits a new flow of rule i in a kept bucket: only from this host's affinity clients.</summary>
    public static string KeepChain(int rule) => Name(rule, "keep");

    /// <summary>This host's extended-affinity clients of rule i (client, or client /24 for network affinity).</summary>
    public static string Clients(int rule) => Name(rule, "clients");

    /// <summary>Rule i's extended-affinity clients that another host keeps.</summary>
    public static string ForeignClients(int rule) => Name(rule, "foreign_clients");

    /// <summary>Set of rule i's buckets this host inherits if host <paramref name="peer"/> dies.</summary>
    public static string HeirSet(int rule, int peer) => Name(rule, string.Create(CultureInfo.InvariantCulture, $"heir{peer}"));

    /// <summary>Set holding one element ("ip") while this host serves host <paramref name="peer"/>'s heir buckets (a takeover, or a claim through them).</summary>
    public static string TakenSet(int peer) => string.Create(CultureInfo.InvariantCulture, $"taken{peer}");

    /// <summary>Set holding one element ("ip") while any peer is in its <see cref="TakenSet"/>: the one test a packet pays otherwise.</summary>
    public const string AnyTaken = "taken";

    /// <summary>-300 chain of rule i: one rule per peer with heirs, accepting them while the peer is taken.</summary>
    public static string StandbyChain(int rule, string transport) => Name(rule, $"{transport}_standby");

    /// <summary>-150 chain of rule i: one rule per peer with heirs, admitting new flows in them while the peer is taken.</summary>
    public static string StandbyAdmitChain(int rule, string transport) => Name(rule, $"{transport}_standby_admit");

    private static string Name(int rule, string what) => string.Create(CultureInfo.InvariantCulture, $"rule{rule}_{what}");
}
