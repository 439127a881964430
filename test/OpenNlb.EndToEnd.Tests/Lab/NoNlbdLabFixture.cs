using OpenNlb.Lab;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.Lab;

/// <summary>One lab without nlbd (2 hosts, 2 clients, 2 extra addresses each) shared by a test class, torn down at its end.</summary>
public sealed class NoNlbdLabFixture : IAsyncLifetime
{
    public const string Name = "tl1";

    public LabHandle? Lab { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (Labs.MissingPrerequisite() is not null)
        {
            return;
        }

        // A lab of this name left by an aborted run would make `up` refuse; it is ours to remove.
        _ = await Labs.DownAsync(Name);
        Lab = await Labs.UpAsync(new LabOptions { Name = Name, Hosts = 2, Clients = 2, NoNlbd = true, ClientAddresses = 2 });
    }

    public async ValueTask DisposeAsync()
    {
        if (Lab is not null)
        {
            await Lab.DisposeAsync();
        }
    }
}
