using System.Net;
using OpenNlb.Core.Configuration;

namespace OpenNlb.Core.Query;

/// <summary>A client flow to the cluster: client address and port, and the VIP, port and protocol it goes to.</summary>
public sealed record FlowQuery(IPAddress Client, int ClientPort, IPAddress Vip, int Port, Protocol Protocol);
