namespace OpenNlb.EndToEnd.Tests.Packaging;

/// <summary>systemd could not be booted in a container on this machine: a reason to skip, not a failure of the unit.</summary>
internal sealed class ContainerBootException(string message) : Exception(message);
