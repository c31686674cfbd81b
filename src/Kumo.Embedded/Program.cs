using System.Collections;
using Kumo.Embedded;
using Kumo.Embedded.Hosting;

// The engine as a process: `dotnet run --project src/Kumo.Embedded`, or the AOT binary.
// Prints exactly one line `KUMO_ENDPOINT=<url>` on stdout once it accepts connections, so a
// launcher that asked for port 0 can read the chosen port.
if (args.Contains("--version"))
{
    Console.WriteLine($"{EngineIdentity.Name} {EngineIdentity.Version}");
    return 0;
}

SocketScheduling.PreferInlineForThisProcess();
KumoEngineOptions options;
try
{
    IDictionary environment = Environment.GetEnvironmentVariables();
    options = KumoEngineOptions.FromEnvironment(environment, args) with { HandleTerminationSignals = true };
}
catch (KumoConfigurationException ex)
{
    Console.Error.WriteLine($"kumo-embedded: {ex.Message}");
    return 2;
}

KumoEngine engine;
try
{
    engine = await KumoEngine.StartAsync(options);
}
catch (IOException ex) when (ex.InnerException is System.Net.Sockets.SocketException || ex.Message.Contains("bind", StringComparison.OrdinalIgnoreCase))
{
    Console.Error.WriteLine($"kumo-embedded: cannot listen on {options.Host}:{options.Port}: {ex.Message}. Set KUMO_PORT=0 for any free port, or stop what holds the port.");
    return 3;
}
catch (KumoStateException ex)
{
    Console.Error.WriteLine($"kumo-embedded: {ex.Message}");
    return 5;
}
catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
{
    Console.Error.WriteLine($"kumo-embedded: cannot use KUMO_DATA_DIR='{options.DataDir}': {ex.Message}. Point KUMO_DATA_DIR at a writable directory, or unset it to keep state in memory.");
    return 4;
}

Console.Out.WriteLine($"KUMO_ENDPOINT={engine.Endpoint.ToString().TrimEnd('/')}");
Console.Out.Flush();
await engine.WaitForShutdownAsync();
await engine.DisposeAsync();
return 0;
