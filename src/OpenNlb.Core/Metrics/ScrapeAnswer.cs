namespace OpenNlb.Core.Metrics;

/// <summary>What the metrics endpoint answers a request, decided from its head alone.</summary>
public enum ScrapeAnswer
{
    /// <summary>200 with the page: GET /metrics.</summary>
    Metrics,

    /// <summary>200 with the page's headers only: HEAD /metrics.</summary>
    MetricsHeadersOnly,

    /// <summary>404: any other path.</summary>
    NotFound,

    /// <summary>405: /metrics with another method than GET or HEAD.</summary>
    MethodNotAllowed,

    /// <summary>400: not an HTTP/1.x request line.</summary>
    BadRequest,
}
