namespace OpenNlb.Lab.Model;

public enum NodeRole
{
    /// <summary>The namespace holding the bridge every node's veth is plugged into.</summary>
    Switch = 0,

    /// <summary>A cluster host: runs nlbd and the lab service.</summary>
    Host = 1,

    /// <summary>A client: runs whatever a test or a person runs in it.</summary>
    Client = 2,
}
