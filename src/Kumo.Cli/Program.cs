using Kumo.Cli;

// kumoctl — the core's seeding, snapshot and dump operations for CI scripts that do not use Aspire.
//   kumoctl validate --manifest seed.json [--run ID --worker ID]
//   kumoctl seed     --endpoint URL --manifest seed.json [--run ID --worker ID] [--parallelism N]
//   kumoctl snapshot --manifest seed.json [--store DIR] --restore-to DIR [--engine-path kumo-embedded.dll | --kumo-binary PATH] [--lock-timeout SECONDS]
//   kumoctl dump     --endpoint URL [--out state.json]
//   kumoctl reset    --endpoint URL [--manifest seed.json [--run ID --worker ID] [--parallelism N]]   (deletes everything, then seeds the manifest if given)
//   kumoctl snapshot export --store DIR --out DIR [--key KEY | --plan-hash HASH]
//   kumoctl snapshot import --archive FILE|DIR --store DIR
// Run and worker ids default to KUMO_RUN_ID / KUMO_WORKER_ID (or the CI's own variables).
// Exit codes: 0 done, 1 failed (seed, verify, engine, file system, lock timeout), 2 bad usage or a bad manifest (Failure.cs).
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

string verb = args.Length > 0 ? args[0] : "kumoctl";
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
        "reset" => await Commands.ResetAsync(command, cancel.Token),
        _ => throw new UsageException($"Unknown command '{command.Verb}'. Commands: validate, seed, snapshot, dump, reset."),
    };
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.Error.WriteLine("kumoctl: cancelled.");
    return 130;
}
catch (Exception ex)
{
    (int exitCode, string message) = Failure.Describe(verb, ex);
    Console.Error.WriteLine($"kumoctl: {message}");
    return exitCode;
}
