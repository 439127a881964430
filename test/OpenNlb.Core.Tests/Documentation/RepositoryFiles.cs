namespace OpenNlb.Core.Tests.Documentation;

/// <summary>Files of the checkout the tests run from (artifacts/bin/... is below the repository root).</summary>
internal static class RepositoryFiles
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "OpenNlb.slnx")))
                {
                    return dir.FullName;
                }
            }

            throw new InvalidOperationException($"no OpenNlb.slnx above {AppContext.BaseDirectory}");
        }
    }

    public static string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));
}
