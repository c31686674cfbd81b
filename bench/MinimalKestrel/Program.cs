using System.Buffers;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Kumo.Embedded.Hosting;

// Same start-up protocol as kumo-embedded: listen on 127.0.0.1:$KUMO_PORT (0 = any), print
// KUMO_ENDPOINT=<url> once listening, answer GET /health. Nothing else, so the benchmark measures
// what the engine adds over bare Kestrel.
// The same host options as the engine (KumoEngine.StartAsync), so the comparison isolates what the engine adds.
//
// It is also the HTTP ceiling of bench/peers/run.sh (targets bare-kestrel, bare-kestrel-aot): the requests of the
// side-by-side benchmark answered with no emulator behind them. A PUT reads its whole body, hashes it with MD5 and
// answers 200 with that ETag (what any S3 PutObject must compute; no store); any other GET answers a 4 KiB body held in memory; a DELETE
// answers 204 (an S3 DeleteObject's answer); a POST (SQS JSON 1.0) reads its body and answers a fixed document by its X-Amz-Target: a
// ReceiveMessage one message with its receipt handle (as the engine answers it), a DeleteMessage {}, anything else (a SendMessage) a small
// SendMessage answer (with KUMO_BARE_SEND=store, the least work a correct SendMessage does: StoredSend.cs). The answers'
// bytes are in Answers.cs. With KUMO_BARE_SERVER=socket the same requests are answered without Kestrel (BareSocket.cs).
// Two experiments measured in bench/results/request-cost.md section 24 and not adopted by the engine:
// KUMO_BARE_TRANSPORT=threads (Kestrel on a thread per connection, ThreadedSocketTransport.cs) and KUMO_BARE_APP=terminal
// (Kestrel calling the handler without the host's per-request layer, TerminalApplication.cs).
int port = int.TryParse(Environment.GetEnvironmentVariable("KUMO_PORT"), out int p) ? p : 0;
// KUMO_BARE_SEND=store: a SendMessage does the least a correct one can (StoredSend) instead of answering a fixed document.
StoredSend? stored = Environment.GetEnvironmentVariable("KUMO_BARE_SEND") == "store" ? new StoredSend() : null;
if (Environment.GetEnvironmentVariable("KUMO_BARE_SERVER") == "socket")
{
    BareSocket.Run(port, stored);
    return;
}

SocketScheduling.PreferInlineForThisProcess();
WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
{
    Args = [],
    ContentRootPath = AppContext.BaseDirectory,
    EnvironmentName = Environments.Production,
});
builder.Logging.ClearProviders();
SocketScheduling.Use(builder.WebHost);
if (Environment.GetEnvironmentVariable("KUMO_BARE_TRANSPORT") == "threads")
{
    // Experiment: Kestrel on a thread per connection instead of its socket transport.
    builder.Services.AddSingleton<Microsoft.AspNetCore.Connections.IConnectionListenerFactory, ThreadedSocketTransport>();
}

builder.WebHost.ConfigureKestrel(k =>
{
    k.AddServerHeader = false;
    k.Listen(IPAddress.Loopback, port);
});
WebApplication app = builder.Build();
// A terminal delegate, no routing: the same dispatch the engine uses, so the baseline is as lean as it gets. Answers
// are written into the response pipe unflushed, as the engine writes them (its Protocol/ResponseBody): Kestrel sends
// headers and body in one write when the request ends.
RequestDelegate handle = async context =>
{
    HttpRequest request = context.Request;
    HttpResponse response = context.Response;
    if (HttpMethods.IsGet(request.Method) && request.Path == "/health")
    {
        response.ContentType = "application/json";
        response.ContentLength = Answers.Health.Length;
        response.BodyWriter.Write(Answers.Health);
    }
    else if (HttpMethods.IsPut(request.Method))
    {
        response.Headers.ETag = await Md5ETag(request);
        response.ContentLength = 0;
    }
    else if (HttpMethods.IsGet(request.Method))
    {
        response.ContentType = "application/octet-stream";
        response.Headers.ETag = Answers.ObjectETag;
        response.ContentLength = Answers.ObjectBody.Length;
        response.BodyWriter.Write(Answers.ObjectBody);
    }
    else if (HttpMethods.IsDelete(request.Method))
    {
        response.StatusCode = StatusCodes.Status204NoContent;
    }
    else if (stored is not null && HttpMethods.IsPost(request.Method) && request.Headers["X-Amz-Target"] == "AmazonSQS.SendMessage")
    {
        await stored.HandleAsync(context);
    }
    else if (HttpMethods.IsPost(request.Method))
    {
        await Drain(request);
        byte[] document = Answers.ForTarget(request.Headers["X-Amz-Target"].ToString());
        response.ContentType = "application/x-amz-json-1.0";
        response.ContentLength = document.Length;
        response.BodyWriter.Write(document);
    }
    else
    {
        response.StatusCode = StatusCodes.Status404NotFound;
    }
};
if (Environment.GetEnvironmentVariable("KUMO_BARE_APP") == "terminal")
{
    // Experiment: Kestrel calls the handler directly, without the host's per-request layer.
    await app.Services.GetRequiredService<IServer>().StartAsync(new TerminalApplication(handle), CancellationToken.None);
}
else
{
    app.Run(handle);
    await app.StartAsync();
}

string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
Console.Out.WriteLine($"KUMO_ENDPOINT={address}");
Console.Out.Flush();
await app.WaitForShutdownAsync();

// Reads the request body to its end, hashing it, and answers its quoted hex MD5: the one digest an S3 PutObject's answer
// must carry (the ETag), so the PUT ceiling includes the work no S3 emulator can skip.
static async Task<string> Md5ETag(HttpRequest request)
{
    using var md5 = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.MD5);
    System.IO.Pipelines.PipeReader reader = request.BodyReader;
    while (true)
    {
        System.IO.Pipelines.ReadResult read = await reader.ReadAsync();
        foreach (ReadOnlyMemory<byte> segment in read.Buffer)
        {
            md5.AppendData(segment.Span);
        }

        reader.AdvanceTo(read.Buffer.End);
        if (read.IsCompleted)
        {
            return "\"" + Convert.ToHexStringLower(md5.GetHashAndReset()) + "\"";
        }
    }
}

// Reads the request body to its end and drops it (the bytes are received, as a server that stores them would).
static async Task Drain(HttpRequest request)
{
    System.IO.Pipelines.PipeReader reader = request.BodyReader;
    while (true)
    {
        System.IO.Pipelines.ReadResult read = await reader.ReadAsync();
        reader.AdvanceTo(read.Buffer.End);
        if (read.IsCompleted)
        {
            return;
        }
    }
}
