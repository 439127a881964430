namespace OpenNlb.Core.Configuration;

/// <summary>How every frame for the VIP reaches every host (NLB's cluster operation mode).</summary>
public enum OperationMode
{
    /// <summary>Every host takes the cluster MAC 02:bf:VIP and masks its source MAC on egress.</summary>
    Unicast = 0,

    /// <summary>Hosts keep their MAC; ARP for the VIP answers with the multicast MAC 03:bf:VIP.</summary>
    Multicast = 1,
}
