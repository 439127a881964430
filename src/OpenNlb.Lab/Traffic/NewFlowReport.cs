namespace OpenNlb.Lab.Traffic;

/// <summary>What <see cref="NewFlows.CheckAsync"/> saw.</summary>
public sealed record NewFlowReport(IReadOnlyList<NewFlowOutcome> Outcomes)
{
    public int Tcp => Outcomes.Count(o => !o.Udp);

    public int Udp => Outcomes.Count(o => o.Udp);

    public int TcpAsModelled => Outcomes.Count(o => !o.Udp && o.AsModelled);

    public int UdpAsModelled => Outcomes.Count(o => o.Udp && o.AsModelled);

    public IReadOnlyList<NewFlowOutcome> NotAsModelled => [.. Outcomes.Where(o => !o.AsModelled)];

    /// <summary>Which hosts answered, and how often.</summary>
    public string Spread => string.Join(' ', Outcomes.SelectMany(o => o.Answers).GroupBy(h => h).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}:{g.Count()}"));

    /// <summary>Whether the flows were held to a model (false for the static recipe).</summary>
    public bool Modelled => Outcomes.Any(o => o.Owner is not null);

    public override string ToString() => !Modelled
        ? $"new flows: {Tcp} TCP and {Udp} UDP answered by {Spread} ({Outcomes.Count(o => o.Answers.Count == 0)} not answered, {Outcomes.Count(o => o.Answers.Count > 1)} answered twice)"
        : $"new flows: TCP {TcpAsModelled}/{Tcp} and UDP {UdpAsModelled}/{Udp} answered by the new map's owner (answers {Spread})"
        + (NotAsModelled.Count == 0 ? "" : $"; not: {string.Join("; ", NotAsModelled.Take(5))}");
}
