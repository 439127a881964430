namespace OpenNlb.Core.Configuration;

/// <summary>An inclusive range of destination ports.</summary>
public readonly record struct PortRange(int First, int Last)
{
    public static PortRange All => new(0, 65535);

    public bool Contains(int port) => port >= First && port <= Last;

    public bool Overlaps(PortRange other) => First <= other.Last && other.First <= Last;

    public override string ToString() => First == Last ? $"{First}" : $"{First}-{Last}";
}
