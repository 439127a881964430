using OpenNlb.Linux.Processes;

namespace OpenNlb.EndToEnd.Tests.KernelHash;

/// <summary>A network namespace of this test (prefix onlb-hash-), removed on dispose whatever happened.</summary>
internal sealed class NetworkNamespace : IAsyncDisposable
{
    private NetworkNamespace(string name) => Name = name;

    public string Name { get; }

    public static async Task<NetworkNamespace> CreateAsync(string purpose, CancellationToken cancellationToken)
    {
        var name = $"onlb-hash-{purpose}-{Environment.ProcessId}";
        if (File.Exists(PathOf(name)))
        {
            // Left over by a run that was killed and whose process id came round again.
            await Run("ip", ["netns", "del", name], null, cancellationToken);
        }

        await Run("ip", ["netns", "add", name], null, cancellationToken);
        var created = new NetworkNamespace(name);
        try
        {
            await created.ExecAsync(["ip", "link", "set", "lo", "up"], null, cancellationToken);
            return created;
        }
        catch
        {
            await created.DisposeAsync();
            throw;
        }
    }

    public Task<string> ExecAsync(IReadOnlyList<string> command, string? standardInput, CancellationToken cancellationToken) =>
        Run("ip", ["netns", "exec", Name, .. command], standardInput, cancellationToken);

    /// <summary>
    /// Runs <paramref name="action"/> on a fresh thread that has joined the namespace, so the sockets
    /// it opens live there. The thread ends afterwards, taking its namespace membership with it.
    /// </summary>
    public Task<T> RunInsideAsync<T>(Func<T> action)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                using var namespaceFile = File.OpenHandle(PathOf(Name));
                NetnsInterop.EnterNetworkNamespace(namespaceFile, Name);
                completion.SetResult(action());
            }
            catch (Exception exception)
            {
                completion.SetException(exception);
            }
        })
        {
            IsBackground = true,
            Name = $"in {Name}",
        };
        thread.Start();
        return completion.Task;
    }

    public async ValueTask DisposeAsync() =>
        await Run("ip", ["netns", "del", Name], null, CancellationToken.None);

    private static string PathOf(string name) => Path.Combine("/run/netns", name);

    // The tools live in /usr/sbin, which a non-login PATH may lack; `ip netns exec` looks its
    // command up on the same PATH, so the caller's PATH is what matters here.
    private static async Task<string> Run(string file, IReadOnlyList<string> args, string? input, CancellationToken ct) =>
        (await CommandRunner.RunCheckedAsync(file, args, TimeSpan.FromSeconds(30), input, ct)).StandardOutput;
}
