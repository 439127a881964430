namespace OpenNlb.Lab.Model;

/// <summary>What `down` removed.</summary>
public sealed record TeardownReport(
    string Name,
    IReadOnlyList<int> ProcessesKilled,
    IReadOnlyList<string> NamespacesDeleted,
    bool StateDirectoryRemoved);
