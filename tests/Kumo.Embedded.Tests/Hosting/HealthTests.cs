using System.Net;
using System.Text.Json;

namespace Kumo.Embedded.Tests.Hosting;

public sealed class HealthTests
{
    [Fact]
    public async Task Health_answers_like_kumo()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        using var http = new HttpClient { BaseAddress = engine.Endpoint };

        using HttpResponseMessage response = await http.GetAsync("/health", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal("healthy", body.RootElement.GetProperty("status").GetString());
        foreach (string path in new[] { "/health", "/health/" })
        {
            using var head = new HttpRequestMessage(HttpMethod.Head, path);
            using HttpResponseMessage headResponse = await http.SendAsync(head, TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, headResponse.StatusCode);
            Assert.Equal("application/json", headResponse.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Port_zero_binds_a_free_loopback_port()
    {
        await using TestEngine a = await TestEngine.StartAsync(persistent: false);
        await using TestEngine b = await TestEngine.StartAsync(persistent: false);

        Assert.Equal("127.0.0.1", a.Endpoint.Host);
        Assert.NotEqual(0, a.Endpoint.Port);
        Assert.NotEqual(a.Endpoint.Port, b.Endpoint.Port);
    }
}
