namespace OpenNlb.Lab;

/// <summary>Signals a test sends to nlbd, with their Linux numbers.</summary>
public enum Signal
{
    SIGHUP = 1,
    SIGINT = 2,
    SIGKILL = 9,
    SIGTERM = 15,
    SIGCONT = 18,
    SIGSTOP = 19,
}
