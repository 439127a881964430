using OpenNlb.Core.Configuration;
using OpenNlb.EndToEnd.Tests.Support;
using OpenNlb.Lab;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.Cluster;

/// <summary>A running cluster of real nlbd processes shared by the tests of one class, always torn down.</summary>
public abstract class LabFixture(string name, OperationMode mode) : IAsyncLifetime
{
    public const int HostCount = 3;

    public LabHandle? Lab { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (!Requires.CanRunLabs())
        {
            return;
        }

        await Labs.DownAsync(name);
        Lab = await Labs.UpAsync(new LabOptions { Name = name, Hosts = HostCount, Clients = 2, ClientAddresses = 8, Mode = mode });
        await LabConvergence.WaitAsync(Lab, Enumerable.Range(1, HostCount).ToList(), TimeSpan.FromSeconds(15));
    }

    public async ValueTask DisposeAsync()
    {
        if (Lab is not null)
        {
            await Lab.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}

public sealed class UnicastLab() : LabFixture("tcu", OperationMode.Unicast);

public sealed class MulticastLab() : LabFixture("tcm", OperationMode.Multicast);
