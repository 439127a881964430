namespace OpenNlb.Linux.Nftables;

/// <summary>nftables refused a script; the message carries nft's own error text.</summary>
public sealed class NftablesException : Exception
{
    public NftablesException(string message)
        : base(message)
    {
    }

    public NftablesException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public NftablesException()
    {
    }
}
