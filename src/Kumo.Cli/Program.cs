using Kumo.Cli;
using Kumo.Engines;
using Kumo.Seeding;
using Kumo.Snapshots;
using Kumo.Testing;

// kumoctl — the core's seeding, snapshot and dump operations for CI scripts that do not use Aspire.
//   kumoctl validate --manifest seed.json [--run ID --worker ID]
//   kumoctl seed     --endpoint URL --manifest seed.json [--run ID --worker ID] [--parallelism N]
//   kumoctl snapshot --manifest seed.json --store DIR --restore-to DIR [--engine-path kumo-embedded.dll | --kumo-binary PATH]
//   kumoctl dump     --endpoint URL [--out state.json]
//   kumoctl snapshot export --store DIR --out DIR [--key KEY | --plan-hash HASH]
//   kumoctl snapshot import --archive FILE|DIR --store DIR
// Run and worker ids default to KUMO_RUN_ID / KUMO_WORKER_ID (or the CI's own variables).
// Exit codes: 0 done, 1 failed (seed, verify, engine), 2 bad usage or a bad manifest.
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

try
{
    if (SnapshotArchiveCommands.Handles(args))
    {
        return await SnapshotArchiveCommands.RunAsync(args, cancel.Token);
    }

    CommandLine command = CommandLine.Parse(args);
    return command.Verb switch
    {
        "validate" => await Commands.ValidateAsync(command, cancel.Token),
        "seed" => await Commands.SeedAsync(command, cancel.Token),
        "snapshot" => await Commands.SnapshotAsync(command, cancel.Token),
        "dump" => await Commands.DumpAsync(command, cancel.Token),
        _ => throw new UsageException($"Unknown command '{command.Verb}'. Commands: validate, seed, snapshot, dump."),
    };
}
catch (UsageException ex)
{
    Console.Error.WriteLine($"kumoctl: {ex.Message}");
    return 2;
}
catch (SeedManifestException ex)
{
    Console.Error.WriteLine($"kumoctl: {ex.Message}");
    return 2;
}
catch (Exception ex) when (ex is SeedException or EngineStartException or EngineNotFoundException or SnapshotBuildException or SnapshotCorruptException or HttpRequestException or Amazon.Runtime.AmazonServiceException)
{
    Console.Error.WriteLine($"kumoctl: {ex.Message}");
    return 1;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("kumoctl: cancelled.");
    return 130;
}
