using System.Text;
using OpenNlb.Core.Convergence;

namespace OpenNlb.Core.Tests.Convergence;

/// <summary>Short, readable descriptions of a node for the trace.</summary>
internal static class SimDescribe
{
    public static string Node(ConvergenceNode node)
    {
        var own = node.Ownership;
        var text = new StringBuilder();
        text.Append('e').Append(SimCluster.Epoch(node.Adopted.Epoch)).Append(' ').Append(node.State);
        text.Append(node.IsParticipant ? " P" : " -");
        text.Append(" own[");
        Append(text, own.Rules.Select(r => (r.Buckets.Count, r.HandlesSingle)), own.IsDefaultHost);
        text.Append("] keep[");
        Append(text, own.Rules.Select(r => (r.KeptBuckets.Count, r.KeepsSingle)), own.KeepsDefault);
        return text.Append(']').ToString();
    }

    public static string Members(Proposal proposal) => $"{{{string.Join(",", proposal.Members.Select(m => m.Priority))}}}";

    private static void Append(StringBuilder text, IEnumerable<(int Count, bool Single)> rules, bool isDefault)
    {
        var i = 0;
        foreach (var (count, single) in rules)
        {
            text.Append(SimCluster.IsMultiple(i++) ? count.ToString(System.Globalization.CultureInfo.InvariantCulture) : single ? "S" : "-").Append(' ');
        }

        text.Append(isDefault ? 'D' : '-');
    }
}
