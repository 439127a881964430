namespace OpenNlb.Core.Configuration;

public enum Protocol
{
    Tcp = 0,
    Udp = 1,
    Both = 2,
}
