using System.Net;

namespace OpenNlb.Lab.Traffic;

/// <summary>One fresh flow: the host the model says owns it, and every host that answered.</summary>
public sealed record NewFlowOutcome(bool Udp, IPAddress Client, int ClientPort, string? Owner, IReadOnlyList<string> Answers)
{
    public bool AsModelled => Answers.Count == 1 && Answers[0] == Owner;

    public override string ToString() =>
        $"{(Udp ? "udp" : "tcp")} {Client}:{ClientPort} owner {Owner ?? "?"}, answered by [{string.Join(' ', Answers)}]";
}
