namespace OpenNlb.Lab;

/// <summary>The lab cannot do what was asked; the message says why and, where it can, what to do.</summary>
public sealed class LabException : Exception
{
    public LabException()
    {
    }

    public LabException(string message)
        : base(message)
    {
    }

    public LabException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
