using System.Net;
using OpenNlb.Core.Convergence;
using OpenNlb.Core.DataPlane;
using Xunit;
using static OpenNlb.Core.Tests.DataPlane.Specs;

namespace OpenNlb.Core.Tests.DataPlane;

public sealed class HandoverRenderTests
{
    private static readonly IPAddress Client = IPAddress.Parse("198.51.100.7");

    [Fact]
    public void Foreign_AddsFlowsWithTheFlowTimeout_AndClientsWithTheirRulesAffinityTimeout()
    {
        var spec = Mixed() with { ForeignFlowTimeout = TimeSpan.FromSeconds(30) };
        var script = RulesetRenderer.RenderForeign(
            spec,
            [new HandoverFlow(1, Client, 40000, Vip2, 53), new HandoverFlow(1, Client, 40001, Vip2, 53), new HandoverFlow(1, Client, 40000, Vip2, 53)],
            [new HandoverClient(1, IPAddress.Parse("198.51.100.0")), new HandoverClient(1, IPAddress.Parse("203.0.113.0"))]);

        Assert.Equal(
            """
            add element ip opennlb foreign_flows { 198.51.100.7 . 40000 . 192.0.2.101 . 53 timeout 30s, 198.51.100.7 . 40001 . 192.0.2.101 . 53 timeout 30s }
            add element ip opennlb rule1_foreign_clients { 198.51.100.0 timeout 60s, 203.0.113.0 timeout 60s }

            """,
            script.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Foreign_MasksNetworkAffinityClients_AndSkipsWhatTheRulesetCannotHold()
    {
        var script = RulesetRenderer.RenderForeign(
            Mixed(),
            [new HandoverFlow(1, IPAddress.Parse("2001:db8::1"), 1, Vip2, 53), new HandoverFlow(1, Client, 0, Vip2, 53)],
            [
                new HandoverClient(1, Client),                           // masked to its /24
                new HandoverClient(1, IPAddress.Parse("198.51.100.99")), // the same /24: once
                new HandoverClient(0, Client),                           // web: no affinity, no set
                new HandoverClient(9, Client),                           // no such rule
                new HandoverClient(1, IPAddress.Parse("2001:db8::1")),
            ]);

        Assert.Equal("add element ip opennlb rule1_foreign_clients { 198.51.100.0 timeout 60s }\n", script.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Foreign_IsEmpty_WhenThereIsNothingToAdd() =>
        Assert.Equal(string.Empty, RulesetRenderer.RenderForeign(Mixed(), [], []));
}
