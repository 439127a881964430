using OpenNlb.Linux.Processes;

namespace OpenNlb.EndToEnd.Tests.Support;

/// <summary>A throw-away network namespace with a veth "eth0" whose peer lives in a second one.</summary>
internal sealed class TestNamespace : IAsyncDisposable
{
    private TestNamespace(string name) => Name = name;

    public string Name { get; }

    public static async Task<TestNamespace> CreateAsync(string prefix)
    {
        var ns = new TestNamespace($"onlb-{prefix}-{Guid.NewGuid().ToString("n")[..6]}");
        await CommandRunner.RunCheckedAsync("ip", ["netns", "add", ns.Name], TimeSpan.FromSeconds(30));
        try
        {
            await ns.ExecCheckedAsync("ip", "link", "set", "lo", "up");
            await ns.ExecCheckedAsync("ip", "link", "add", "eth0", "type", "veth", "peer", "name", "peer0");
            await ns.ExecCheckedAsync("ip", "link", "set", "eth0", "up");
            await ns.ExecCheckedAsync("ip", "link", "set", "peer0", "up");
        }
        catch
        {
            await ns.DisposeAsync();
            throw;
        }

        return ns;
    }

    public async Task<string> ExecCheckedAsync(params string[] argv) =>
        (await CommandRunner.RunCheckedAsync("ip", ["netns", "exec", Name, .. argv], TimeSpan.FromSeconds(30))).StandardOutput;

    public Task<CommandResult> ExecAsync(params string[] argv) =>
        CommandRunner.RunAsync("ip", ["netns", "exec", Name, .. argv], TimeSpan.FromSeconds(30));

    /// <summary>Runs an nft script through nft -f in the namespace.</summary>
    public async Task<string> NftAsync(string script)
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, script);
            return await ExecCheckedAsync("nft", "-f", file);
        }
        finally
        {
            File.Delete(file);
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> on a thread of its own that has joined the namespace: the
    /// sockets it opens live there, and stay there when the thread ends.
    /// </summary>
    public Task<T> RunInsideAsync<T>(Func<T> action)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                using var file = File.OpenHandle(Path.Combine("/run/netns", Name));
                KernelHash.NetnsInterop.EnterNetworkNamespace(file, Name);
                completion.SetResult(action());
            }
            catch (Exception e)
            {
                completion.SetException(e);
            }
        })
        {
            IsBackground = true,
            Name = "in " + Name,
        };
        thread.Start();
        return completion.Task;
    }

    public async ValueTask DisposeAsync() => await CommandRunner.RunAsync("ip", ["netns", "del", Name], TimeSpan.FromSeconds(30));
}
