using System.Globalization;
using OpenNlb.Core.Control;
using OpenNlb.Core.Query;

namespace OpenNlb.Cli.Control;

/// <summary>`nlb owner` as text: the flow, its rule and bucket, the owner, then why in sentences.</summary>
internal static class OwnerFormatter
{
    public static string Format(ControlResponse response)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        if (response.Message is { } message)
        {
            w.WriteLine($"note:    {message}");
        }

        if (response.Owner is not { } o)
        {
            return w.ToString();
        }

        var client = o.Client.Contains(':', StringComparison.Ordinal) ? $"[{o.Client}]" : o.Client;
        var vip = o.Vip.Contains(':', StringComparison.Ordinal) ? $"[{o.Vip}]" : o.Vip;
        w.WriteLine($"flow:    {client}:{o.ClientPort} -> {vip}:{o.Port}/{o.Protocol}");
        w.WriteLine($"rule:    {o.Reason}");
        if (o.Bucket is { } b)
        {
            w.WriteLine($"bucket:  {b} = {o.Hash}");
        }

        var members = o.Members.Count == 0 ? "none" : string.Join(' ', o.Members);
        var map = o.Epoch is { } e ? $"map epoch {OwnerExplainer.EpochText(e)}, members {members}" : $"members {members}";
        w.WriteLine($"owner:   {(o.Owner is { } owner ? $"host {owner}" : "none")} ({map})");
        if (o.ThisHost is { } me)
        {
            var marks = new[] { me.ForeignFlow ? "foreign flow" : null, me.ForeignClient ? "foreign client" : null, me.AffinityClient ? "affinity client" : null, me.Connection is { } c ? $"conntrack {c}" : null }
                .Where(m => m is not null);
            // The JSON role is one word (owns, keeps, none); alone on this line "none" read as if
            // the host were nothing, so the text says what it means.
            var role = me.Role switch { "owns" => "owns it", "keeps" => "keeps it", "none" => "neither owns nor keeps it", _ => me.Role };
            w.WriteLine($"here:    host {me.Host} ({me.State}) {role}{string.Concat(marks.Select(m => ", " + m))}");
        }

        for (var i = 0; i < o.Why.Count; i++)
        {
            w.WriteLine($"{(i == 0 ? "why:" : string.Empty),-8} {o.Why[i]}");
        }

        return w.ToString();
    }
}
