using System.Buffers;
using System.Net;
using System.Text;
using Kumo.Embedded.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kumo.Embedded.Tests.Server;

/// <summary>
/// <see cref="Http1Server"/> under handlers the engine does not have (yet): what any ASP.NET Core handler may do with a
/// response (flush without a length, write past or short of its Content-Length, fail before or after starting), on a
/// real host and real sockets.
/// </summary>
public sealed class Http1ServerContractTests
{
    private static async Task<(WebApplication App, Uri Endpoint)> StartAsync(RequestDelegate handler)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IServer>(services => new Http1Server(new IPEndPoint(IPAddress.Loopback, 0), services.GetRequiredService<ILoggerFactory>(), new KumoEngineOptions().HttpSpinWait));
        WebApplication app = builder.Build();
        app.Run(handler);
        await app.StartAsync(TestContext.Current.CancellationToken);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return (app, new Uri(address));
    }

    private static string Get(Uri endpoint, string target = "/") => $"GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{endpoint.Port}\r\n\r\n";

    [Fact]
    public async Task A_handler_that_flushes_without_a_length_gets_a_chunked_answer_and_the_connection_stays_usable()
    {
        (WebApplication app, Uri endpoint) = await StartAsync(async context =>
        {
            await context.Response.WriteAsync("first,");
            await context.Response.Body.FlushAsync();
            await context.Response.Body.WriteAsync(new byte[100_000]);
            await context.Response.WriteAsync(",last");
        });
        await using (app)
        {
            await using RawConnection connection = await RawConnection.OpenAsync(endpoint);
            await connection.SendAsync(Get(endpoint) + Get(endpoint));

            foreach (RawAnswer answer in new[] { await connection.ReadAsync(), await connection.ReadAsync() })
            {
                Assert.Equal("chunked", answer.Headers["Transfer-Encoding"]);
                Assert.Equal("first," + new string('\0', 100_000) + ",last", answer.Text);
            }
        }
    }

    [Fact]
    public async Task An_answer_held_whole_gets_its_Content_Length_and_HEAD_gets_no_body()
    {
        (WebApplication app, Uri endpoint) = await StartAsync(context =>
        {
            // Written into the pipe and never flushed, as the engine writes its answers (Protocol/ResponseBody).
            context.Response.BodyWriter.Write("held until the end"u8);
            return Task.CompletedTask;
        });
        await using (app)
        {
            await using RawConnection connection = await RawConnection.OpenAsync(endpoint);
            await connection.SendAsync(Get(endpoint));
            RawAnswer get = await connection.ReadAsync();
            await connection.SendAsync($"HEAD / HTTP/1.1\r\nHost: x\r\n\r\n" + Get(endpoint));
            RawAnswer head = await connection.ReadAsync(head: true);
            RawAnswer after = await connection.ReadAsync();

            Assert.Equal("18", get.Headers["Content-Length"]);
            Assert.Equal("held until the end", get.Text);
            Assert.False(head.Headers.ContainsKey("Transfer-Encoding"));
            Assert.Equal("held until the end", after.Text);
        }
    }

    [Theory]
    [InlineData("short", 500)]
    [InlineData("throws", 500)]
    [InlineData("bad-request", 400)]
    public async Task A_handler_that_fails_before_its_answer_starts_gets_an_empty_error_answer(string failure, int status)
    {
        (WebApplication app, Uri endpoint) = await StartAsync(context => failure switch
        {
            "short" => WriteShortAsync(context),
            "throws" => throw new InvalidOperationException("handler failed"),
            _ => throw new BadHttpRequestException("bad", StatusCodes.Status400BadRequest),
        });
        await using (app)
        {
            await using RawConnection connection = await RawConnection.OpenAsync(endpoint);
            await connection.SendAsync(Get(endpoint));
            RawAnswer answer = await connection.ReadAsync();

            Assert.Equal(status, answer.Status);
            Assert.Empty(answer.Body);
        }

        static Task WriteShortAsync(HttpContext context)
        {
            context.Response.ContentLength = 10;
            context.Response.BodyWriter.Write("four"u8);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Writing_past_the_Content_Length_fails_the_write()
    {
        Exception? seen = null;
        (WebApplication app, Uri endpoint) = await StartAsync(context =>
        {
            context.Response.ContentLength = 3;
            try
            {
                context.Response.BodyWriter.Write("four"u8);
            }
            catch (InvalidOperationException ex)
            {
                seen = ex;
                throw;
            }

            return Task.CompletedTask;
        });
        await using (app)
        {
            await using RawConnection connection = await RawConnection.OpenAsync(endpoint);
            await connection.SendAsync(Get(endpoint));
            RawAnswer answer = await connection.ReadAsync();

            Assert.Equal(500, answer.Status);
            Assert.Contains("too many bytes", seen?.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_handler_that_fails_after_its_answer_started_leaves_it_cut_off_and_closes()
    {
        (WebApplication app, Uri endpoint) = await StartAsync(async context =>
        {
            await context.Response.WriteAsync("partial");
            await context.Response.Body.FlushAsync();
            throw new InvalidOperationException("after start");
        });
        await using (app)
        {
            await using RawConnection connection = await RawConnection.OpenAsync(endpoint);
            await connection.SendAsync(Get(endpoint));

            // The chunked answer never gets its last chunk: the client sees the connection end instead.
            await Assert.ThrowsAsync<EndOfStreamException>(() => connection.ReadAsync());
        }
    }

    [Fact]
    public async Task Request_features_set_by_one_request_are_gone_for_the_next()
    {
        int requests = 0;
        (WebApplication app, Uri endpoint) = await StartAsync(context =>
        {
            string seen = context.Items.TryGetValue("mark", out object? mark) ? (string)mark! : "none";
            context.Items["mark"] = $"request {++requests}";
            return context.Response.WriteAsync($"{seen}|{context.Request.Query["q"]}");
        });
        await using (app)
        {
            await using RawConnection connection = await RawConnection.OpenAsync(endpoint);
            await connection.SendAsync(Get(endpoint, "/?q=1") + Get(endpoint, "/?q=2"));

            Assert.Equal("none|1", (await connection.ReadAsync()).Text);
            Assert.Equal("none|2", (await connection.ReadAsync()).Text);
        }
    }

    [Fact]
    public async Task A_body_read_through_the_pipe_and_the_stream_arrives_whole()
    {
        (WebApplication app, Uri endpoint) = await StartAsync(async context =>
        {
            var pipe = await context.Request.BodyReader.ReadAtLeastAsync(10);
            string first = Encoding.ASCII.GetString(pipe.Buffer.Slice(0, 10).ToArray());
            context.Request.BodyReader.AdvanceTo(pipe.Buffer.GetPosition(10));
            string rest = await new StreamReader(context.Request.Body).ReadToEndAsync();
            await context.Response.WriteAsync($"{first}+{rest.Length}");
        });
        await using (app)
        {
            await using RawConnection connection = await RawConnection.OpenAsync(endpoint);
            string body = "0123456789" + new string('x', 50_000);
            await connection.SendAsync($"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: {body.Length}\r\n\r\n{body[..5]}");
            await Task.Delay(50, TestContext.Current.CancellationToken);
            await connection.SendAsync(body[5..]);

            Assert.Equal("0123456789+50000", (await connection.ReadAsync()).Text);
        }
    }
}
