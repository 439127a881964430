using System.Globalization;

namespace OpenNlb.Core.DataPlane;

/// <summary>Names of the objects in the opennlb tables, in one place for the renderer and the tests.</summary>
public static class NftNames
{
    public const string Table = DataPlaneSpec.TableName;

    /// <summary>Chain whose only rule is this host's verdict for traffic no port rule covers.</summary>
    public const string Uncovered = "uncovered";

    /// <summary>Map bucket -> accept for the buckets this host owns in multiple-host rule i.</summary>
    public static string BucketMap(int rule) => string.Create(CultureInfo.InvariantCulture, $"rule{rule}_buckets");

    /// <summary>Verdict map (protocol . port) -> the port rule's chain, for rules that apply to every VIP.</summary>
    public const string DispatchAll = "dispatch_all";

    /// <summary>Verdict map (VIP . protocol . port) -> the port rule's chain, for rules of one VIP.</summary>
    public const string DispatchVip = "dispatch_vip";

    /// <summary>Chain that hashes multiple-host rule i's traffic of one transport (tcp, udp) into its buckets.</summary>
    public static string RuleChain(int rule, string transport) => string.Create(CultureInfo.InvariantCulture, $"rule{rule}_{transport}");

    /// <summary>Chain whose only rule is this host's verdict for single-host rule i.</summary>
    public static string SingleChain(int rule) => string.Create(CultureInfo.InvariantCulture, $"rule{rule}_single");
}
