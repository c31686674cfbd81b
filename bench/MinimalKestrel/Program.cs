using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

// Same start-up protocol as kumo-embedded: listen on 127.0.0.1:$KUMO_PORT (0 = any), print
// KUMO_ENDPOINT=<url> once listening, answer GET /health. Nothing else, so the benchmark measures
// what the engine adds over bare Kestrel.
// The same host options as the engine (KumoEngine.StartAsync), so the comparison isolates what the engine adds.
WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
{
    Args = [],
    ContentRootPath = AppContext.BaseDirectory,
    EnvironmentName = Environments.Production,
});
builder.Logging.ClearProviders();
int port = int.TryParse(Environment.GetEnvironmentVariable("KUMO_PORT"), out int p) ? p : 0;
builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, port));
WebApplication app = builder.Build();
// A terminal delegate, no routing: the same dispatch the engine uses, so the baseline is as lean as it gets.
app.Run(context =>
{
    if (context.Request.Path != "/health")
    {
        context.Response.StatusCode = StatusCodes.Status404NotFound;
        return Task.CompletedTask;
    }

    context.Response.ContentType = "application/json";
    return context.Response.WriteAsync("{\"status\":\"healthy\"}");
});
await app.StartAsync();
string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
Console.Out.WriteLine($"KUMO_ENDPOINT={address}");
Console.Out.Flush();
await app.WaitForShutdownAsync();
