using System.Net;
using System.Text;
using OpenNlb.Lab.Service;

namespace OpenNlb.Lab.Demo;

/// <summary>The demo's traffic and what it prints about it.</summary>
internal static class DemoChecks
{
    private static readonly string[] Names = ["h1", "h2", "h3"];

    public static Task WaitConvergedAsync(LabHandle lab, IReadOnlyList<int> members, CancellationToken ct) =>
        LabConvergence.WaitAsync(lab, members, TimeSpan.FromSeconds(15), ct);

    public static async Task TcpAsync(LabHandle lab, LabModel model, int count, TextWriter output, CancellationToken ct)
    {
        var sources = Sources(lab);
        var results = new List<(string Host, bool AsModelled)>();
        for (var batch = 0; batch < count; batch += 10)
        {
            results.AddRange(await Task.WhenAll(Enumerable.Range(batch, Math.Min(10, count - batch)).Select(async i =>
            {
                var (node, source) = sources[i % sources.Count];
                var (port, host) = await LabTraffic.HttpAsync(lab, node, source);
                return (host, host == model.OwnerOf("web", source, port));
            })));
        }

        var wrong = results.Count(r => !r.AsModelled);
        output.WriteLine($"    TCP  :80   {count} connections, {Spread(results.Select(r => r.Host))}   {Verdict(wrong, "answered by its bucket's owner")}");
        ct.ThrowIfCancellationRequested();
    }

    public static async Task UdpAsync(LabHandle lab, LabModel model, int count, TextWriter output, CancellationToken ct)
    {
        var sources = Sources(lab);
        var answers = new List<(List<string> Answers, string Owner)>();
        for (var batch = 0; batch < count; batch += 20)
        {
            answers.AddRange(await Task.WhenAll(Enumerable.Range(batch, Math.Min(20, count - batch)).Select(async i =>
            {
                var (node, source) = sources[i % sources.Count];
                var (port, got) = await LabTraffic.UdpAsync(lab, node, source, 4000, TimeSpan.FromMilliseconds(500));
                return (got, model.OwnerOf("echo", source, port));
            })));
        }

        var once = answers.Count(a => a.Answers.Count == 1 && a.Answers[0] == a.Owner);
        output.WriteLine($"    UDP  :7    {count} datagrams of 4,000 bytes (3 IP fragments each), {Spread(answers.SelectMany(a => a.Answers))}   {once} of {count} answered exactly once, by the owner");
        ct.ThrowIfCancellationRequested();
    }

    public static async Task PingAsync(LabHandle lab, TextWriter output, CancellationToken ct)
    {
        var r = await lab.ExecAsync("c1", ["ping", "-c", "10", "-i", "0.05", "-W", "1", "-s", "3000", lab.Vip.ToString()], TimeSpan.FromSeconds(10), ct);
        var received = r.StandardOutput.Split('\n').Count(l => l.Contains("bytes from", StringComparison.Ordinal) && !l.Contains("DUP!", StringComparison.Ordinal));
        var duplicates = r.StandardOutput.Split('\n').Count(l => l.Contains("DUP!", StringComparison.Ordinal));
        output.WriteLine($"    ICMP ping -s 3000 (fragmented): 10 sent, {received} answered, {duplicates} duplicates");
    }

    public static async Task StickyAsync(LabHandle lab, LabModel model, TextWriter output, CancellationToken ct)
    {
        var sources = Sources(lab);
        var steady = 0;
        var hosts = new HashSet<string>();
        foreach (var (node, source) in sources)
        {
            var got = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => LabTraffic.HttpAsync(lab, node, source, LabService.StickyHttpPort)));
            var distinct = got.Select(g => g.Host).Distinct().ToList();
            hosts.UnionWith(distinct);
            steady += distinct.Count == 1 && distinct[0] == model.OwnerOf("sticky", source, 0) ? 1 : 0;
        }

        output.WriteLine($"    TCP  :8080 single affinity, 5 connections from each of {sources.Count} client addresses: {steady} of {sources.Count} clients kept on one host; clients spread over {hosts.Count} hosts");
        ct.ThrowIfCancellationRequested();
    }

    private static List<(string Node, IPAddress Source)> Sources(LabHandle lab) =>
        lab.Clients.SelectMany(c => new[] { c.Address!.Value.Address }.Concat(c.ExtraAddresses).Select(a => (c.Name, a))).ToList();

    private static string Spread(IEnumerable<string> hosts)
    {
        var counts = hosts.GroupBy(h => h).ToDictionary(g => g.Key, g => g.Count());
        var text = new StringBuilder();
        foreach (var name in Names.Concat(counts.Keys.Except(Names).Order()))
        {
            text.Append($"{name} {counts.GetValueOrDefault(name),3}  ");
        }

        return text.ToString().TrimEnd();
    }

    private static string Verdict(int wrong, string what) => wrong == 0 ? $"every one {what}" : $"{wrong} NOT {what}";
}
