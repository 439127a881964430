using System.Text;
using OpenNlb.Core.Metrics;
using Xunit;

namespace OpenNlb.Core.Tests.Metrics;

public sealed class ScrapeRequestTests
{
    [Theory]
    [InlineData("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n", ScrapeAnswer.Metrics)]
    [InlineData("GET /metrics?name[]=x HTTP/1.0\r\n\r\n", ScrapeAnswer.Metrics)]
    [InlineData("GET /metrics HTTP/1.1\n\n", ScrapeAnswer.Metrics)]
    [InlineData("HEAD /metrics HTTP/1.1\r\n\r\n", ScrapeAnswer.MetricsHeadersOnly)]
    [InlineData("POST /metrics HTTP/1.1\r\nContent-Length: 3\r\n\r\n", ScrapeAnswer.MethodNotAllowed)]
    [InlineData("DELETE /metrics HTTP/1.1\r\n\r\n", ScrapeAnswer.MethodNotAllowed)]
    [InlineData("get /metrics HTTP/1.1\r\n\r\n", ScrapeAnswer.MethodNotAllowed)]
    [InlineData("GET / HTTP/1.1\r\n\r\n", ScrapeAnswer.NotFound)]
    [InlineData("GET /metrics/ HTTP/1.1\r\n\r\n", ScrapeAnswer.NotFound)]
    [InlineData("GET /Metrics HTTP/1.1\r\n\r\n", ScrapeAnswer.NotFound)]
    [InlineData("POST /other HTTP/1.1\r\n\r\n", ScrapeAnswer.NotFound)]
    [InlineData("GET /metrics HTTP/2.0\r\n\r\n", ScrapeAnswer.BadRequest)]
    [InlineData("GET /metrics\r\n\r\n", ScrapeAnswer.BadRequest)]
    [InlineData("GET  /metrics HTTP/1.1\r\n\r\n", ScrapeAnswer.BadRequest)]
    [InlineData("GET http://host/metrics HTTP/1.1\r\n\r\n", ScrapeAnswer.BadRequest)]
    [InlineData("G(T /metrics HTTP/1.1\r\n\r\n", ScrapeAnswer.BadRequest)]
    [InlineData("GET /met\x01rics HTTP/1.1\r\n\r\n", ScrapeAnswer.BadRequest)]
    [InlineData("\r\n\r\n", ScrapeAnswer.BadRequest)]
    [InlineData("garbage", ScrapeAnswer.BadRequest)]
    public void RequestLine_DecidesTheAnswer(string head, ScrapeAnswer expected) =>
        Assert.Equal(expected, ScrapeRequest.Judge(Encoding.Latin1.GetBytes(head)));

    [Theory]
    [InlineData("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\nbody", 34)]
    [InlineData("GET /metrics HTTP/1.1\n\n", 23)]
    [InlineData("GET /metrics HTTP/1.1\r\nHost: x\r\n", -1)]
    [InlineData("GET /metrics HTTP/1.1\r\n\r", -1)]
    [InlineData("", -1)]
    public void HeadLength_FindsTheEmptyLine(string received, int expected) =>
        Assert.Equal(expected, ScrapeRequest.HeadLength(Encoding.Latin1.GetBytes(received)));
}
