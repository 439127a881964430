namespace OpenNlb.Core.Membership;

/// <summary>What <see cref="ReplayGuard.Check"/> says of an authentic datagram.</summary>
public enum ReplayVerdict
{
    /// <summary>Never seen: take it.</summary>
    Fresh,

    /// <summary>A repeat, or older than what was already taken from its sender: drop it and count it.</summary>
    Replayed,
}
