using OpenNlb.Core.Configuration;
using OpenNlb.Lab.Model;

namespace OpenNlb.Lab;

/// <summary>Turns options into the lab's description: which namespaces, which addresses. No side effects.</summary>
public static class LabPlan
{
    /// <summary>Every reason the options cannot make a lab; empty when they can.</summary>
    public static IReadOnlyList<string> Validate(LabOptions options)
    {
        var errors = new List<string>();
        if (LabNames.Validate(options.Name) is { } nameError)
        {
            errors.Add(nameError);
        }

        if (options.Hosts is < 1 or > AddressPlan.MaxHosts)
        {
            errors.Add($"hosts: {options.Hosts} is not in 1..{AddressPlan.MaxHosts} (host priorities are 1..64)");
        }

        if (options.Clients is < 0 or > AddressPlan.MaxClients)
        {
            errors.Add($"clients: {options.Clients} is not in 0..{AddressPlan.MaxClients} (clients are 192.0.2.201 and up)");
        }
        else if (options.ClientAddresses < 0 || options.ClientAddresses > AddressPlan.MaxExtraAddresses(options.Clients))
        {
            errors.Add(options.Clients == 0 && options.ClientAddresses > 0
                ? "client addresses: there are no clients to give them to"
                : $"client addresses: {options.ClientAddresses} is not in 0..{AddressPlan.MaxExtraAddresses(options.Clients)} for {options.Clients} clients (two /24s of 254 addresses are shared among them)");
        }

        if (!Enum.IsDefined(options.Mode))
        {
            errors.Add($"mode: {options.Mode} is not unicast or multicast");
        }

        if (options.ConfigFiles.Count > 0 && options.NoNlbd)
        {
            errors.Add("config files are nlbd's: without nlbd there is nothing to read them");
        }

        if (options.ReadyTimeout <= TimeSpan.Zero)
        {
            errors.Add("ready timeout must be positive");
        }

        return errors;
    }

    public static LabDescription Describe(LabOptions options, string nlbPath, string? nlbdPath, DateTimeOffset now)
    {
        var nodes = new List<LabNode>
        {
            new() { Name = LabNames.Switch, Role = NodeRole.Switch, Namespace = LabNames.Namespace(options.Name, LabNames.Switch) },
        };
        for (var i = 1; i <= options.Hosts; i++)
        {
            var name = LabNames.Host(i);
            var dip = AddressPlan.HostDip(i);
            nodes.Add(new LabNode
            {
                Name = name,
                Role = NodeRole.Host,
                Namespace = LabNames.Namespace(options.Name, name),
                HostPriority = i,
                Address = dip,
                Mac = AddressPlan.MacFor(dip.Address),
            });
        }

        for (var j = 1; j <= options.Clients; j++)
        {
            var name = LabNames.Client(j);
            var address = AddressPlan.ClientAddress(j);
            nodes.Add(new LabNode
            {
                Name = name,
                Role = NodeRole.Client,
                Namespace = LabNames.Namespace(options.Name, name),
                Address = address,
                ExtraAddresses = AddressPlan.ClientExtraAddresses(j, options.ClientAddresses, options.Clients),
                Mac = AddressPlan.MacFor(address.Address),
            });
        }

        return new LabDescription
        {
            Name = options.Name,
            Mode = options.Mode,
            Vip = AddressPlan.Vip,
            NoNlbd = options.NoNlbd,
            NlbdPath = nlbdPath,
            NlbPath = nlbPath,
            CreatedAt = now,
            Nodes = nodes,
        };
    }
}
