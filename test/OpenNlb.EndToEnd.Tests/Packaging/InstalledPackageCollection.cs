using Xunit;

namespace OpenNlb.EndToEnd.Tests.Packaging;

/// <summary>The test classes that share one build and installation of the package.</summary>
[CollectionDefinition(Name)]
public sealed class InstalledPackageCollection : ICollectionFixture<InstalledPackageFixture>
{
    public const string Name = "installed package";
}
