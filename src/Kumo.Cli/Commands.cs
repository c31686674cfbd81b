using System.Globalization;
using Kumo.Clients;
using Kumo.Engines;
using Kumo.Seeding;
using Kumo.Snapshots;
using Kumo.Testing;

namespace Kumo.Cli;

/// <summary>The verbs of <c>kumoctl</c>; each is a thin call into the core.</summary>
internal static class Commands
{
    public static async Task<int> ValidateAsync(CommandLine command, CancellationToken cancellationToken)
    {
        command.RejectUnknown("manifest", "run", "worker");
        SeedPlan plan = SeedManifest.Load(command.Required("manifest", "seed/kumo-seed.json"));
        ResolvedSeedPlan resolved = plan.Resolve(RunContext(command).ToSeedContext());
        string hash = await plan.ComputeHashAsync(cancellationToken).ConfigureAwait(false);
        Console.WriteLine($"valid: {resolved.Buckets.Count} bucket(s), {resolved.Buckets.Sum(b => b.Objects.Count)} object(s), {resolved.Queues.Count} queue(s); fixture {plan.FixtureVersion}");
        Console.WriteLine($"KUMO_PLAN_HASH={hash}");
        return 0;
    }

    public static async Task<int> SeedAsync(CommandLine command, CancellationToken cancellationToken)
    {
        command.RejectUnknown("endpoint", "manifest", "run", "worker", "parallelism");
        SeedPlan plan = SeedManifest.Load(command.Required("manifest", "seed/kumo-seed.json"));
        ResolvedSeedPlan resolved = plan.Resolve(RunContext(command).ToSeedContext());
        using KumoClients clients = KumoClients.Create(command.Endpoint());
        var progress = new Progress<SeedProgress>(p => Console.Error.WriteLine($"  {p.Phase}: {p.Done}/{p.Total} {p.Current}"));
        SeedReport report = await new KumoSeeder(clients)
            .SeedAsync(resolved, new SeedOptions { MaxParallelism = command.Int("parallelism", 8), Progress = progress }, cancellationToken)
            .ConfigureAwait(false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded in {report.Elapsed.TotalMilliseconds:0} ms: buckets {report.BucketsCreated} created / {report.BucketsExisting} existing, objects {report.ObjectsUploaded} uploaded / {report.ObjectsSkipped} unchanged, queues {report.QueuesCreated} created / {report.QueuesExisting} existing, {report.MessagesSent} message(s) sent, {report.WriteRequests} write request(s)"));
        return 0;
    }

    public static async Task<int> ResetAsync(CommandLine command, CancellationToken cancellationToken)
    {
        command.RejectUnknown("endpoint", "manifest", "run", "worker", "parallelism");
        SeedPlan? plan = command.Optional("manifest") is { } manifest ? SeedManifest.Load(manifest) : null;
        KumoWipe.Result wiped;
        using (KumoClients clients = KumoClients.Create(command.Endpoint()))
        {
            wiped = await KumoWipe.WipeAsync(clients, cancellationToken).ConfigureAwait(false);
        }

        Console.WriteLine(wiped.ToString());
        return plan is null ? 0 : await SeedAsync(command, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<int> SnapshotAsync(CommandLine command, CancellationToken cancellationToken)
    {
        command.RejectUnknown("manifest", "store", "restore-to", "engine-path", "kumo-binary", "run", "worker", "lock-timeout");
        string restoreTo = command.Required("restore-to", ".kumo/worker-0");
        if (File.Exists(restoreTo) || (Directory.Exists(restoreTo) && Directory.EnumerateFileSystemEntries(restoreTo).Any()))
        {
            throw new UsageException($"snapshot: --restore-to '{restoreTo}' is {(File.Exists(restoreTo) ? "a file" : "not empty")}. Pass an empty or absent folder (each worker gets its own), or delete it first.");
        }

        SeedPlan plan = SeedManifest.Load(command.Required("manifest", "seed/kumo-seed.json"));
        ResolvedSeedPlan resolved = plan.Resolve(RunContext(command).ToSeedContext());
        EngineDefinition engine = command.Optional("kumo-binary") is { } kumo
            ? (kumo == "true" ? EngineDefinition.KumoBinary() : EngineDefinition.KumoBinary(kumo))
            : command.Optional("engine-path") is { } path ? EngineDefinition.Embedded(path) : EngineDefinition.Embedded();
        var store = new SnapshotStore(Store(command));
        SnapshotRequest request = await PlanSnapshots.CreateRequestAsync(
            [resolved],
            engine,
            lockTimeout: command.Optional("lock-timeout") is null ? null : TimeSpan.FromSeconds(command.Int("lock-timeout", 1)),
            cancellationToken: cancellationToken).ConfigureAwait(false);
        RestoredDataDir restored = await store.RestoreAsync(request, restoreTo, cancellationToken).ConfigureAwait(false);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"restored snapshot {restored.SnapshotKey} ({restored.Files} files, {restored.Bytes} bytes) in {restored.Elapsed.TotalMilliseconds:0} ms"));
        Console.WriteLine($"KUMO_DATA_DIR={restored.Path}");
        return 0;
    }

    public static async Task<int> DumpAsync(CommandLine command, CancellationToken cancellationToken)
    {
        command.RejectUnknown("endpoint", "out");
        using KumoClients clients = KumoClients.Create(command.Endpoint());
        KumoStateDump dump = await KumoStateDump.CaptureAsync(clients, cancellationToken).ConfigureAwait(false);
        if (command.Optional("out") is { } path)
        {
            await dump.WriteAsync(path, cancellationToken).ConfigureAwait(false);
            Console.Error.WriteLine($"state written to {path}");
        }
        else
        {
            Console.WriteLine(dump.ToJson());
        }

        if (dump.Errors.Count > 0)
        {
            // The partial dump is still written (it is a diagnostic), but the command failed.
            Console.Error.WriteLine($"kumoctl: dump: {dump.Errors.Count} part(s) of the state could not be read (first: {dump.Errors[0]}). Check that the engine at --endpoint is running and healthy (GET /health).");
            return Failure.Failed;
        }

        return 0;
    }

    /// <summary>The snapshot store: <c>--store</c>, else the one default (<see cref="KumoSnapshotDirectory"/>).</summary>
    private static string Store(CommandLine command) => command.Optional("store") is { Length: > 0 } store ? Path.GetFullPath(store) : KumoSnapshotDirectory.Resolve();

    private static KumoRunContext RunContext(CommandLine command)
    {
        KumoRunContext fromEnvironment = KumoRunContext.Current;
        return new KumoRunContext(command.Optional("run") ?? fromEnvironment.RunId, command.Optional("worker") ?? fromEnvironment.WorkerId);
    }
}
