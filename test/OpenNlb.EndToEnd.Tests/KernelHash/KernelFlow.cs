using System.Net;

namespace OpenNlb.EndToEnd.Tests.KernelHash;

/// <summary>A flow the test sent: from <see cref="Client"/> to the port of <see cref="Rule"/>.</summary>
internal readonly record struct KernelFlow(HashRule Rule, IPEndPoint Client);
