using System.Globalization;
using Kumo.Snapshots;

namespace Kumo.Cli;

/// <summary>
/// <c>kumoctl snapshot export</c> and <c>kumoctl snapshot import</c>: snapshots as files that travel through CI caches.
/// They parse arguments and map failures to exit codes; <see cref="SnapshotArchive"/> does the work.
/// </summary>
internal static class SnapshotArchiveCommands
{
    private const string Export = "export";
    private const string Import = "import";

    /// <summary>True for <c>snapshot export …</c> and <c>snapshot import …</c> (the plain <c>snapshot --manifest …</c> builds and restores).</summary>
    public static bool Handles(IReadOnlyList<string> args) => args.Count > 1 && args[0] == "snapshot" && args[1] is Export or Import;

    /// <summary>Runs the subcommand. Exit codes: 0 done, 1 failed, 2 bad usage or a refused archive.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        CommandLine command = CommandLine.Parse([$"snapshot {args[1]}", .. args.Skip(2)]);
        try
        {
            return args[1] == Export
                ? await ExportAsync(command, cancellationToken).ConfigureAwait(false)
                : await ImportAsync(command, cancellationToken).ConfigureAwait(false);
        }
        catch (SnapshotArchiveException ex)
        {
            Console.Error.WriteLine($"kumoctl: {ex.Message}");
            return 2;
        }
    }

    private static async Task<int> ExportAsync(CommandLine command, CancellationToken cancellationToken)
    {
        command.RejectUnknown("store", "out", "key", "plan-hash");
        string root = command.Required("store", ".kumo/snapshots");
        string output = command.Required("out", ".kumo/archives");
        string? key = command.Optional("key");
        string? planHash = command.Optional("plan-hash");
        var store = new SnapshotStore(root);
        List<Snapshot> chosen = store.List()
            .Where(s => (key is null || s.Key == key) && (planHash is null || s.Manifest.PlanHash == planHash))
            .ToList();
        if (chosen.Count == 0)
        {
            string filter = key is not null ? $" with key {key}" : planHash is not null ? $" of plan {planHash}" : string.Empty;
            throw new UsageException($"{command.Verb}: the store '{store.Root}' holds no snapshot{filter}. Build it first (kumoctl snapshot --manifest seed.json --store {root} --restore-to DIR, or run the tests with KUMO_SNAPSHOT_DIR={root}), or fix --store/--key/--plan-hash.");
        }

        foreach (Snapshot snapshot in chosen)
        {
            ExportedSnapshotArchive archive = await SnapshotArchive.ExportAsync(store, snapshot, output, cancellationToken).ConfigureAwait(false);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"exported snapshot {archive.SnapshotKey} ({snapshot.Manifest.Engine.Name} {snapshot.Manifest.Engine.Version}, fixture {snapshot.Manifest.FixtureVersion}, {archive.Files} files, {archive.Bytes} bytes)"));
            Console.WriteLine($"KUMO_SNAPSHOT_ARCHIVE={archive.Path}");
        }

        return 0;
    }

    private static async Task<int> ImportAsync(CommandLine command, CancellationToken cancellationToken)
    {
        command.RejectUnknown("archive", "store");
        string from = command.Required("archive", $".kumo/archives (a directory of {SnapshotArchive.FileNamePrefix}*{SnapshotArchive.FileExtension}, or one such file)");
        var store = new SnapshotStore(command.Required("store", ".kumo/snapshots"));
        string[] archives = Directory.Exists(from)
            ? Directory.GetFiles(from, SnapshotArchive.FileNamePrefix + "*" + SnapshotArchive.FileExtension).Order(StringComparer.Ordinal).ToArray()
            : File.Exists(from) ? [from] : throw new UsageException($"{command.Verb}: --archive '{from}' is neither a file nor a directory. Pass the archive 'kumoctl snapshot export' wrote, or the directory that holds it.");
        if (archives.Length == 0)
        {
            throw new UsageException($"{command.Verb}: the directory '{from}' holds no {SnapshotArchive.FileNamePrefix}*{SnapshotArchive.FileExtension}. Restore it from the CI cache first, or export one with kumoctl snapshot export.");
        }

        foreach (string archive in archives)
        {
            ImportedSnapshotArchive imported = await SnapshotArchive.ImportAsync(
                store,
                archive,
                p => Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"import: {p.Phase} {p.Files}/{p.TotalFiles}")),
                cancellationToken).ConfigureAwait(false);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(imported.Published ? "imported" : "already present:")} snapshot {imported.Snapshot.Key} into {store.Root} in {imported.Elapsed.TotalMilliseconds:0} ms"));
            Console.WriteLine($"KUMO_SNAPSHOT_KEY={imported.Snapshot.Key}");
        }

        return 0;
    }
}
