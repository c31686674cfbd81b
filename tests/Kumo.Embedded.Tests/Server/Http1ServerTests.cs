using System.Text;
using Amazon.S3.Model;
using Amazon.SQS.Model;

namespace Kumo.Embedded.Tests.Server;

/// <summary>
/// The engine's own HTTP/1.1 server (<see cref="KumoHttpServer.Builtin"/>, the default) at the level of bytes on a
/// loopback socket: what clients rely on besides the AWS protocols (keep-alive, pipelining, 100-continue, chunked
/// bodies, a client leaving a long poll, refusals of what cannot be read, a graceful stop). The AWS protocols
/// themselves are every other test in this project, which all run on this server.
/// </summary>
public sealed class Http1ServerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Head(Uri endpoint, string method, string target, params string[] headers) =>
        $"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1:{endpoint.Port}\r\n" + string.Concat(headers.Select(h => h + "\r\n")) + "\r\n";

    [Fact]
    public async Task A_kept_alive_connection_answers_many_requests_and_HEAD_gets_a_length_without_a_body()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await using RawConnection connection = await RawConnection.OpenAsync(engine.Endpoint);

        for (int i = 0; i < 50; i++)
        {
            await connection.SendAsync(Head(engine.Endpoint, "HEAD", "/health"));
            RawAnswer head = await connection.ReadAsync(head: true);
            await connection.SendAsync(Head(engine.Endpoint, "GET", "/health"));
            RawAnswer get = await connection.ReadAsync();

            Assert.Equal(200, head.Status);
            Assert.Equal(get.Body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), head.Headers["Content-Length"]);
            Assert.Equal(200, get.Status);
            Assert.Contains("healthy", get.Text, StringComparison.Ordinal);
            Assert.True(get.Headers.ContainsKey("Date"));
        }
    }

    [Fact]
    public async Task Requests_sent_together_in_one_write_are_answered_in_order()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await using RawConnection connection = await RawConnection.OpenAsync(engine.Endpoint);

        await connection.SendAsync(
            Head(engine.Endpoint, "PUT", "/piped") +
            Head(engine.Endpoint, "PUT", "/piped/k", "Content-Length: 5") + "hello" +
            Head(engine.Endpoint, "GET", "/piped/k") +
            Head(engine.Endpoint, "GET", "/health"));

        Assert.Equal(200, (await connection.ReadAsync()).Status);
        Assert.Equal(200, (await connection.ReadAsync()).Status);
        RawAnswer object1 = await connection.ReadAsync();
        Assert.Equal(200, object1.Status);
        Assert.Equal("hello", object1.Text);
        Assert.Contains("healthy", (await connection.ReadAsync()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_announced_with_Expect_100_continue_is_asked_for_and_stored()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await engine.S3.PutBucketAsync("expect", Ct);
        await using RawConnection connection = await RawConnection.OpenAsync(engine.Endpoint);

        await connection.SendAsync(Head(engine.Endpoint, "PUT", "/expect/k", "Expect: 100-continue", "Content-Length: 11"));
        RawAnswer proceed = await connection.ReadAsync();
        await connection.SendAsync("hello world");
        RawAnswer stored = await connection.ReadAsync();

        Assert.Equal(100, proceed.Status);
        Assert.Equal(200, stored.Status);
        using GetObjectResponse got = await engine.S3.GetObjectAsync("expect", "k", Ct);
        Assert.Equal("hello world", await new StreamReader(got.ResponseStream).ReadToEndAsync(Ct));
    }

    [Fact]
    public async Task A_chunked_body_sent_in_pieces_with_extensions_and_trailers_is_stored_whole()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await engine.S3.PutBucketAsync("chunks", Ct);
        await using RawConnection connection = await RawConnection.OpenAsync(engine.Endpoint);
        string first = new('a', 20_000);
        string second = new('b', 70_000);

        await connection.SendAsync(Head(engine.Endpoint, "PUT", "/chunks/k", "Transfer-Encoding: chunked"));
        await connection.SendAsync($"{first.Length:x};name=value\r\n{first[..7_000]}");
        await Task.Delay(50, Ct);
        await connection.SendAsync($"{first[7_000..]}\r\n{second.Length:X}\r\n{second}\r\n");
        await Task.Delay(50, Ct);
        await connection.SendAsync("3\r\nend\r\n0\r\nx-trailer: t\r\n\r\n");
        RawAnswer stored = await connection.ReadAsync();
        await connection.SendAsync(Head(engine.Endpoint, "GET", "/chunks/k"));
        RawAnswer read = await connection.ReadAsync();

        Assert.Equal(200, stored.Status);
        Assert.Equal(200, read.Status);
        Assert.Equal(first + second + "end", read.Text);
    }

    [Fact]
    public async Task A_client_that_leaves_a_long_poll_does_not_take_the_next_message()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        string queueUrl = (await engine.Sqs.CreateQueueAsync("left", Ct)).QueueUrl;
        string poll = $"{{\"QueueUrl\":\"{queueUrl}\",\"WaitTimeSeconds\":20}}";
        await using (RawConnection leaving = await RawConnection.OpenAsync(engine.Endpoint))
        {
            await leaving.SendAsync(Head(engine.Endpoint, "POST", "/", "X-Amz-Target: AmazonSQS.ReceiveMessage", "Content-Type: application/x-amz-json-1.0", $"Content-Length: {Encoding.UTF8.GetByteCount(poll)}") + poll);
            leaving.CloseSending();

            // The server sees the client leave, ends the poll and closes: long before the poll's own 20 s. Only then is
            // the message sent, so the test does not race the server's noticing.
            Assert.True(await leaving.WaitForServerCloseAsync(TimeSpan.FromSeconds(10)), "the server kept the long poll of a client that had left");
        }

        await engine.Sqs.SendMessageAsync(queueUrl, "after", Ct);
        ReceiveMessageResponse received = await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl, WaitTimeSeconds = 5 }, Ct);

        // A poll still waiting for the gone client would have taken the message and hidden it for 30 s.
        Assert.Equal("after", Assert.Single(received.Messages).Body);
    }

    [Fact]
    public async Task An_early_error_to_a_body_still_arriving_reaches_the_client_before_the_connection_closes()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await engine.S3.PutBucketAsync("early", Ct);
        byte[] body = Encoding.ASCII.GetBytes("<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>x</ETag></Part></CompleteMultipartUpload>");
        for (int i = 0; i < 50; i++)
        {
            // The head and the body in two writes, as RawHttp sends them: the answer (no such upload) may be sent and
            // the connection closed while the body is still on its way; a close with bytes unread would reset the
            // connection and the kernel could drop the answer before the client reads it.
            await using RawConnection connection = await RawConnection.OpenAsync(engine.Endpoint);
            await connection.SendAsync(Head(engine.Endpoint, "POST", "/early/k?uploadId=x", "Connection: close", $"Content-Length: {body.Length}"));
            await connection.SendAsync(body);

            RawAnswer answer = await connection.ReadAsync();

            Assert.Equal(404, answer.Status);
        }
    }

    [Theory]
    [InlineData("GET /health HTTP/1.1\r\n\r\n", 400)]
    [InlineData("GET /health HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400)]
    [InlineData("GET /health HTTP/2.0\r\nHost: a\r\n\r\n", 505)]
    [InlineData("G@T /health HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET health HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET /a%ZZ HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET /a%FF HTTP/1.1\r\nHost: a\r\n\r\n", 400)]
    [InlineData("GET /health HTTP/1.1\r\nHost: a\r\nno colon here\r\n\r\n", 400)]
    [InlineData("GET /health HTTP/1.1\r\nHost: a\r\n bad: fold\r\n\r\n", 400)]
    [InlineData("PUT /b/k HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", 400)]
    [InlineData("PUT /b/k HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n", 400)]
    [InlineData("PUT /b/k HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n", 400)]
    [InlineData("PUT /b/k HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 400)]
    public async Task What_the_server_cannot_read_gets_its_status_and_the_connection_closes(string request, int status)
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await using RawConnection connection = await RawConnection.OpenAsync(engine.Endpoint);

        await connection.SendAsync(request);
        RawAnswer answer = await connection.ReadAsync();

        Assert.Equal(status, answer.Status);
        Assert.True(await connection.IsClosedByServerAsync());
    }

    [Theory]
    [InlineData(9_000, 0, 414)]
    [InlineData(10, 70_000, 431)]
    public async Task An_oversized_head_is_refused(int targetLength, int headerLength, int status)
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await using RawConnection connection = await RawConnection.OpenAsync(engine.Endpoint);

        await connection.SendAsync(Head(engine.Endpoint, "GET", "/" + new string('a', targetLength), $"x-big: {new string('b', headerLength)}"));

        Assert.Equal(status, (await connection.ReadAsync()).Status);
    }

    [Fact]
    public async Task Dot_segments_are_removed_from_the_path_as_a_client_would()
    {
        await using TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await using RawConnection connection = await RawConnection.OpenAsync(engine.Endpoint);

        await connection.SendAsync(Head(engine.Endpoint, "GET", "/x/../%68ealth/."));

        Assert.Contains("healthy", (await connection.ReadAsync()).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_the_engine_closes_idle_connections_and_ends_in_time()
    {
        TestEngine engine = await TestEngine.StartAsync(persistent: false);
        await using RawConnection connection = await RawConnection.OpenAsync(engine.Endpoint);
        await connection.SendAsync(Head(engine.Endpoint, "GET", "/health"));
        Assert.Equal(200, (await connection.ReadAsync()).Status);

        // Bounded: an idle kept-alive connection must not hold the stop until the host's 30 s shutdown timeout.
        await engine.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20), Ct);

        Assert.True(await connection.IsClosedByServerAsync());
    }

    [Fact]
    public async Task The_engine_still_runs_on_Kestrel_when_asked()
    {
        await using TestEngine engine = await TestEngine.StartAsync(o => o with { HttpServer = KumoHttpServer.Kestrel }, persistent: false);
        await engine.S3.PutBucketAsync("kestrel", Ct);
        await engine.S3.PutObjectAsync(new PutObjectRequest { BucketName = "kestrel", Key = "k", ContentBody = "on kestrel" }, Ct);
        string queueUrl = (await engine.Sqs.CreateQueueAsync("kestrel", Ct)).QueueUrl;
        await engine.Sqs.SendMessageAsync(queueUrl, "m", Ct);

        using GetObjectResponse got = await engine.S3.GetObjectAsync("kestrel", "k", Ct);
        ReceiveMessageResponse received = await engine.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest { QueueUrl = queueUrl }, Ct);

        Assert.Equal("on kestrel", await new StreamReader(got.ResponseStream).ReadToEndAsync(Ct));
        Assert.Equal("m", Assert.Single(received.Messages).Body);
    }
}
