namespace OpenNlb.Core.Configuration;

/// <summary>The words of the YAML form (lower case, exact) for enums and special values.</summary>
internal static class ConfigNames
{
    /// <summary>A port rule's <c>vip</c> for every VIP, and its <c>ports</c> for 0-65535.</summary>
    public const string All = "all";

    /// <summary>A host's <c>loadWeight</c> for NLB's equal load distribution.</summary>
    public const string Equal = "equal";

    public static EnumNames<OperationMode> Modes { get; } =
        new(("unicast", OperationMode.Unicast), ("multicast", OperationMode.Multicast));

    public static EnumNames<Protocol> Protocols { get; } =
        new(("tcp", Protocol.Tcp), ("udp", Protocol.Udp), ("both", Protocol.Both));

    public static EnumNames<FilteringMode> Filtering { get; } =
        new(("multiple", FilteringMode.Multiple), ("single", FilteringMode.Single), ("disabled", FilteringMode.Disabled));

    public static EnumNames<Affinity> Affinities { get; } =
        new(("none", Affinity.None), ("single", Affinity.Single), ("network", Affinity.Network));

    public static EnumNames<HostState> HostStates { get; } =
        new(("started", HostState.Started), ("stopped", HostState.Stopped), ("suspended", HostState.Suspended));
}
