using OpenNlb.Core.Allocation;
using OpenNlb.Core.Configuration;

namespace OpenNlb.Lab;

/// <summary>A running lab's cluster as the model needs it: the cluster section and the live members with their own settings.</summary>
public static class LabCluster
{
    public static (ClusterConfig Cluster, IReadOnlyList<Member> Members) Read(string lab)
    {
        var description = Labs.ReadDescription(lab);
        var paths = new LabPaths(lab);
        var configs = description.Hosts.ToDictionary(h => h.HostPriority, h => Load(paths.Config(h.HostPriority)));
        var live = description.Hosts
            .Select(h => HostStatusReader.Read(paths.StateFile(h.HostPriority)))
            .FirstOrDefault(s => s is not null)?.LiveHosts
            ?? throw new LabException($"no host of lab '{lab}' reports a status: is nlbd running? (nlb lab status --name {lab})");
        return (configs.Values.First().Cluster, live.Select(h => HostRules.MemberOf(configs[h])).ToList());
    }

    private static NlbConfig Load(string path)
    {
        var result = ConfigLoader.Parse(File.ReadAllText(path));
        return result.Config ?? throw new LabException($"{path}: {string.Join("; ", result.Errors)}");
    }
}
