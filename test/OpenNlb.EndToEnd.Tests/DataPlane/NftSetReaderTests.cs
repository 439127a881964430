using System.Net;
using OpenNlb.Linux.Nftables;
using Xunit;

namespace OpenNlb.EndToEnd.Tests.DataPlane;

/// <summary>The set listing parser, on `nft -j list set` output captured from nft 1.0.6 (no root needed).</summary>
public sealed class NftSetReaderTests
{
    [Fact]
    public void ClientsWithTimeouts_AreReadWithWhatTheyHaveLeft()
    {
        const string json = """{"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}}, {"set": {"family": "ip", "name": "rule1_clients", "table": "opennlb", "type": "ipv4_addr", "handle": 23, "size": 65535, "flags": ["timeout"], "timeout": 60, "elem": [{"elem": {"val": "10.1.2.0", "timeout": 30, "expires": 29}}, {"elem": {"val": "10.1.3.0", "expires": 59}}]}}]}""";

        var elements = NftSetReader.Parse(json);

        Assert.Equal([new NftSetElement(["10.1.2.0"], TimeSpan.FromSeconds(29)), new NftSetElement(["10.1.3.0"], TimeSpan.FromSeconds(59))], elements);
        Assert.Equal([IPAddress.Parse("10.1.2.0"), IPAddress.Parse("10.1.3.0")], NftSetReader.Addresses(elements));
    }

    [Fact]
    public void ConcatenatedKeys_AndPlainElements_AreRead()
    {
        const string flows = """{"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}}, {"set": {"family": "ip", "name": "foreign_flows", "table": "opennlb", "type": ["ipv4_addr", "inet_service", "ipv4_addr", "inet_service"], "handle": 22, "size": 262144, "flags": ["timeout"], "timeout": 120, "elem": [{"elem": {"val": {"concat": ["10.0.0.1", 5000, "192.0.2.101", 53]}, "expires": 119}}]}}]}""";
        const string vips = """{"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}}, {"set": {"family": "ip", "name": "vips", "table": "opennlb", "type": "ipv4_addr", "handle": 20, "elem": ["192.0.2.100", "192.0.2.101"]}}]}""";

        Assert.Equal([new NftSetElement(["10.0.0.1", "5000", "192.0.2.101", "53"], TimeSpan.FromSeconds(119))], NftSetReader.Parse(flows));
        Assert.Equal([new NftSetElement(["192.0.2.100"], null), new NftSetElement(["192.0.2.101"], null)], NftSetReader.Parse(vips));
        Assert.Throws<FormatException>(() => NftSetReader.Addresses(NftSetReader.Parse(flows)));
    }

    [Fact]
    public void AnEmptySet_HasNoElements()
    {
        const string json = """{"nftables": [{"metainfo": {"version": "1.0.6", "release_name": "Lester Gooch #5", "json_schema_version": 1}}, {"set": {"family": "ip", "name": "rule1_foreign_clients", "table": "opennlb", "type": "ipv4_addr", "handle": 24, "size": 65535, "flags": ["timeout"], "timeout": 60}}]}""";

        Assert.Empty(NftSetReader.Parse(json));
    }
}
