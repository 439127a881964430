namespace OpenNlb.Linux.Processes;

/// <summary>Facts about this process that .NET does not expose.</summary>
public static class CurrentProcess
{
    /// <summary>The effective user id, as the kernel matches a socket's packets by (nft's <c>meta skuid</c>).</summary>
    public static uint EffectiveUserId => Interop.Libc.geteuid();
}
