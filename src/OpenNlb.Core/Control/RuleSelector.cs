using System.Globalization;
using System.Net;
using System.Net.Sockets;
using OpenNlb.Core.Configuration;
using OpenNlb.Core.DataPlane;

namespace OpenNlb.Core.Control;

/// <summary>
/// Which port rules a per-rule command (enable, disable, drain, weight) means, from what the
/// operator typed: <c>all</c>; a rule's name; <c>VIP:PORT</c> (<c>[IPv6]:PORT</c>), the rules
/// traffic to that VIP and port goes through, one per protocol at most, with the precedence the
/// kernel uses (a rule of that VIP before a rule of all VIPs); or a port alone, every rule whose
/// range holds it, whatever its VIP and protocol. A name wins over the other forms: a rule may be
/// named "80". Pure: it answers from the cluster section alone.
/// </summary>
public static class RuleSelector
{
    public const string All = "all";

    public const string Forms = "a port rule's name, VIP:PORT (10.0.0.10:80, [2001:db8::10]:443), a port, or all";

    /// <summary>The indices of the rules meant, in configuration order; or an error that names the input.</summary>
    public static (IReadOnlyList<int> Rules, string? Error) Resolve(ClusterConfig cluster, string? selector)
    {
        var rules = cluster.PortRules;
        if (selector is null || selector == All)
        {
            return (Enumerable.Range(0, rules.Count).ToList(), null);
        }

        var named = IndicesWhere(rules, r => string.Equals(r.Name, selector, StringComparison.Ordinal));
        if (named.Count > 0)
        {
            return (named, null);
        }

        if (selector.Contains(':', StringComparison.Ordinal) || selector.StartsWith('['))
        {
            return VipAndPort(cluster, selector);
        }

        if (selector.Length > 0 && selector.All(char.IsAsciiDigit))
        {
            return Port(cluster, selector);
        }

        if (IPAddress.TryParse(selector, out _))
        {
            return Refused($"'{selector}' is a VIP without a port: say VIP:PORT, a rule's name or all (a rule for all VIPs cannot be changed for one VIP alone)");
        }

        return Refused($"no port rule named '{selector}'; the rules are: {Names(rules)} (or say VIP:PORT, a port, or all)");
    }

    private static (IReadOnlyList<int>, string?) VipAndPort(ClusterConfig cluster, string selector)
    {
        // "2001:db8::10:443" would parse as an address with no port: only the bracketed form is clear.
        if (!selector.StartsWith('[') && selector.Count(c => c == ':') > 1)
        {
            return Refused($"'{selector}': write an IPv6 VIP in brackets with its port, like [2001:db8::10]:443");
        }

        if (selector.StartsWith('[') && !selector.Contains("]:", StringComparison.Ordinal))
        {
            return Refused($"'{selector}': write an IPv6 VIP in brackets with its port, like [2001:db8::10]:443");
        }

        var colon = selector.LastIndexOf(':');
        var host = selector[..colon];
        var portText = selector[(colon + 1)..];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }

        if (!IPAddress.TryParse(host, out var vip))
        {
            return Refused($"'{selector}': '{host}' is not an IP address (say VIP:PORT, like 10.0.0.10:80 or [2001:db8::10]:443)");
        }

        if (!TryPort(portText, out var port))
        {
            return Refused($"'{selector}': '{portText}' is not a port (0..65535)");
        }

        if (!cluster.Vips.Contains(vip))
        {
            return Refused($"'{selector}': {vip} is not a VIP of cluster '{cluster.Name}' (its VIPs: {string.Join(", ", cluster.Vips)})");
        }

        // What the kernel does with a flow to vip:port, once per protocol.
        var found = new SortedSet<int>();
        foreach (var protocol in new[] { Protocol.Tcp, Protocol.Udp })
        {
            var match = RuleOrder.Evaluation(cluster).FirstOrDefault(r =>
                (r.Rule.Vip is null || r.Rule.Vip.Equals(vip))
                && (r.Rule.Protocol == Protocol.Both || r.Rule.Protocol == protocol)
                && r.Rule.Ports.Contains(port));
            if (match.Rule is not null)
            {
                found.Add(match.Index);
            }
        }

        return found.Count > 0
            ? (found.ToList(), null)
            : Refused(string.Create(CultureInfo.InvariantCulture, $"'{selector}': no port rule covers port {port} on {vip}; the rules are: {Described(cluster.PortRules)}"));
    }

    private static (IReadOnlyList<int>, string?) Port(ClusterConfig cluster, string selector)
    {
        if (!TryPort(selector, out var port))
        {
            return Refused($"'{selector}' is not a port (0..65535) nor a port rule's name; the rules are: {Names(cluster.PortRules)}");
        }

        var covering = IndicesWhere(cluster.PortRules, r => r.Ports.Contains(port));
        return covering.Count > 0
            ? (covering, null)
            : Refused(string.Create(CultureInfo.InvariantCulture, $"no port rule covers port {port}; the rules are: {Described(cluster.PortRules)}"));
    }

    private static bool TryPort(string text, out int port) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= ushort.MaxValue;

    private static List<int> IndicesWhere(IReadOnlyList<PortRule> rules, Func<PortRule, bool> predicate) =>
        rules.Select((r, i) => (r, i)).Where(x => predicate(x.r)).Select(x => x.i).ToList();

    private static string Names(IReadOnlyList<PortRule> rules) => string.Join(", ", rules.Select(r => r.Name));

    /// <summary>"web (80/tcp), dns (all VIPs 53/both)": enough to see which form would have matched.</summary>
    private static string Described(IReadOnlyList<PortRule> rules) => string.Join(
        ", ",
        rules.Select(r => $"{r.Name} ({(r.Vip is null ? string.Empty : FormatVip(r.Vip) + ":")}{r.Ports}/{ConfigNames.Protocols.NameOf(r.Protocol)})"));

    private static string FormatVip(IPAddress vip) => vip.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{vip}]" : vip.ToString();

    private static (IReadOnlyList<int>, string?) Refused(string error) => ([], error);
}
