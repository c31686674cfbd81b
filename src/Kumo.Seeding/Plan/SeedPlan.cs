using Kumo.Contract;

namespace Kumo.Seeding;

/// <summary>
/// What to seed into a kumo engine: buckets with objects and queues with attributes, redrive
/// policies and messages. Valid by construction: it comes from <see cref="SeedManifest"/> (JSON) or
/// <see cref="SeedPlanBuilder"/> (C#), which check every rule and every referenced file.
/// </summary>
/// <remarks>
/// <para>
/// Names may contain <c>{run}</c> and <c>{worker}</c>; <see cref="Resolve"/> replaces them to give
/// the concrete <see cref="ResolvedSeedPlan"/> that <see cref="KumoSeeder"/> seeds.
/// </para>
/// <para>
/// <see cref="ComputeHashAsync"/> is the plan's content hash — the snapshot key. It covers the
/// fixture version, every name (placeholders unresolved), attribute, message and object, and the
/// bytes of every referenced file; it does not depend on JSON formatting, field order, the order of
/// buckets or queues, where the files live, or the machine.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// SeedPlan plan = SeedManifest.Load("fixtures/seed.json");
/// string snapshotKey = await plan.ComputeHashAsync();
/// ResolvedSeedPlan resolved = plan.Resolve(new SeedContext("local", "0"));
/// using KumoClients clients = KumoClients.Create(new Uri("http://127.0.0.1:4566"));
/// SeedReport report = await new KumoSeeder(clients).SeedAsync(resolved);
/// </code>
/// </example>
public sealed class SeedPlan
{
    internal SeedPlan(string fixtureVersion, IReadOnlyList<BucketSeed> buckets, IReadOnlyList<QueueSeed> queues, IReadOnlyList<TableSeed> tables, string baseDirectory, string? sourcePath)
    {
        FixtureVersion = fixtureVersion;
        Buckets = buckets;
        Queues = queues;
        Tables = tables;
        BaseDirectory = baseDirectory;
        SourcePath = sourcePath;
    }

    /// <summary>Creates a plan and checks it; throws every error found together.</summary>
    internal static SeedPlan CreateValidated(string fixtureVersion, IReadOnlyList<BucketSeed> buckets, IReadOnlyList<QueueSeed> queues, IReadOnlyList<TableSeed> tables, string baseDirectory, string? sourcePath, SeedLocation root, SeedErrors errors)
    {
        var plan = new SeedPlan(fixtureVersion, buckets, queues, tables, Path.GetFullPath(baseDirectory), sourcePath);
        SeedPlanValidator.Validate(plan, root, errors);
        errors.ThrowIfAny();
        return plan;
    }

    /// <summary>The fixture version: a label changed by hand when the fixture's meaning changes; part of the hash.</summary>
    public string FixtureVersion { get; }

    /// <summary>The buckets, in the order written.</summary>
    public IReadOnlyList<BucketSeed> Buckets { get; }

    /// <summary>The queues, in the order written.</summary>
    public IReadOnlyList<QueueSeed> Queues { get; }

    /// <summary>The DynamoDB tables to create and fill, in manifest order.</summary>
    public IReadOnlyList<TableSeed> Tables { get; }

    /// <summary>The directory file and directory sources are relative to (the manifest's directory).</summary>
    public string BaseDirectory { get; }

    /// <summary>The manifest file this plan was loaded from (or the source name given to <see cref="SeedManifest.Parse"/>); null for a fluent plan.</summary>
    public string? SourcePath { get; }

    /// <summary>Computes the plan's content hash: lower-case hex SHA-256, 64 characters.</summary>
    /// <param name="cancellationToken">Cancels reading the files.</param>
    /// <returns>The hash.</returns>
    /// <exception cref="IOException">A referenced file can no longer be read.</exception>
    public Task<string> ComputeHashAsync(CancellationToken cancellationToken = default) => PlanHasher.ComputeAsync(this, cancellationToken);

    /// <summary>Replaces <c>{run}</c> and <c>{worker}</c> and checks the resulting names.</summary>
    /// <param name="context">The placeholder values.</param>
    /// <returns>The concrete plan to seed.</returns>
    /// <exception cref="SeedManifestException">A resolved name is invalid (e.g. too long) or two names resolve to the same value.</exception>
    public ResolvedSeedPlan Resolve(SeedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var errors = new SeedErrors(SourcePath);

        var buckets = new List<ResolvedBucket>(Buckets.Count);
        var bucketNames = new Dictionary<string, BucketSeed>(StringComparer.Ordinal);
        foreach (BucketSeed bucket in Buckets)
        {
            string name = Placeholders.Substitute(bucket.Name, context);
            if (!AwsNameRules.IsValidBucketName(name, out string? problem))
            {
                errors.Add(bucket.Location, "name", $"bucket name '{bucket.Name}' resolves to '{name}' (run '{context.RunId}', worker '{context.WorkerId}'), which is invalid: {problem}.",
                    "shorten the name or use shorter run/worker ids; " + SeedPlanValidator.BucketNameFix(name));
            }
            else if (!bucketNames.TryAdd(name, bucket))
            {
                BucketSeed first = bucketNames[name];
                errors.Add(bucket.Location, "name", $"bucket name '{bucket.Name}' resolves to '{name}', the same as '{first.Name}' at {first.Location.Pointer} (run '{context.RunId}', worker '{context.WorkerId}').",
                    "make the names differ after resolution, e.g. use the same placeholders in both or give them different fixed parts.");
            }

            var objects = bucket.Expand().Select(o => new ResolvedObject(o.Key, o.ContentType, o.Seed.Metadata, o.FullPath, o.Seed.Kind == ObjectSourceKind.Text ? o.Seed.Text : null)).ToArray();
            buckets.Add(new ResolvedBucket(name, objects, bucket));
        }

        var queueNames = new Dictionary<string, QueueSeed>(StringComparer.Ordinal);
        var queues = new List<ResolvedQueue>(Queues.Count);
        foreach (QueueSeed queue in Queues)
        {
            string name = Placeholders.Substitute(queue.Name, context);
            if (!AwsNameRules.IsValidQueueName(name, queue.Fifo, out string? problem))
            {
                errors.Add(queue.Location, "name", $"queue name '{queue.Name}' resolves to '{name}' (run '{context.RunId}', worker '{context.WorkerId}'), which is invalid: {problem}.",
                    "shorten the name or use shorter run/worker ids; " + SeedPlanValidator.QueueNameFix(name, queue.Fifo));
            }
            else if (!queueNames.TryAdd(name, queue))
            {
                QueueSeed first = queueNames[name];
                errors.Add(queue.Location, "name", $"queue name '{queue.Name}' resolves to '{name}', the same as '{first.Name}' at {first.Location.Pointer} (run '{context.RunId}', worker '{context.WorkerId}').",
                    "make the names differ after resolution, e.g. use the same placeholders in both or give them different fixed parts.");
            }

            string? deadLetter = queue.DeadLetter is { } redrive ? Placeholders.Substitute(redrive.QueueName, context) : null;
            queues.Add(new ResolvedQueue(name, queue, deadLetter));
        }

        var tableNames = new Dictionary<string, TableSeed>(StringComparer.Ordinal);
        var tables = new List<ResolvedTable>(Tables.Count);
        foreach (TableSeed table in Tables)
        {
            string name = Placeholders.Substitute(table.Name, context);
            if (AwsNameRules.TableNameProblem(name) is { } problem)
            {
                errors.Add(table.Location, "name", $"table name '{table.Name}' resolves to '{name}' (run '{context.RunId}', worker '{context.WorkerId}'), which is invalid: {problem}.",
                    "shorten the name or use shorter run/worker ids.");
            }
            else if (!tableNames.TryAdd(name, table))
            {
                errors.Add(table.Location, "name", $"table name '{table.Name}' resolves to '{name}', the same as '{tableNames[name].Name}' at {tableNames[name].Location.Pointer} (run '{context.RunId}', worker '{context.WorkerId}').",
                    "make the names differ after resolution, e.g. use the same placeholders in both or give them different fixed parts.");
            }

            tables.Add(new ResolvedTable(name, table));
        }

        errors.ThrowIfAny();
        return new ResolvedSeedPlan(this, context, buckets, queues, tables);
    }
}
