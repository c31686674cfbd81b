using System.Globalization;

namespace Kumo.Seeding;

/// <summary>
/// Builds a <see cref="SeedPlan"/> in C#. The result is the same plan (and has the same content hash)
/// as the equivalent JSON manifest, and is checked by the same rules.
/// </summary>
/// <remarks>
/// <para>
/// File and directory paths are relative to the base directory given to the constructor
/// (<see cref="AppContext.BaseDirectory"/> by default, where test fixtures copied to the output
/// directory live) and must stay inside it. <see cref="Build"/> checks everything and throws a
/// <see cref="SeedManifestException"/> listing every error, with JSON pointers such as
/// <c>/queues/0/redrive/maxReceiveCount</c> that match the manifest form.
/// </para>
/// <para>
/// The builder can be reused: each <see cref="Build"/> call creates a new plan and re-reads the files.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// SeedPlan plan = new SeedPlanBuilder()
///     .FixtureVersion("v1")
///     .Bucket("orders-{run}", b => b
///         .Object("a.json", "{\"id\":1}", contentType: "application/json")
///         .File("logo.png", "assets/logo.png")
///         .Directory("static/", "wwwroot"))
///     .Queue("orders-dlq-{worker}")
///     .Queue("orders-{worker}", q => q
///         .Attribute("VisibilityTimeout", "30")
///         .DeadLetter("orders-dlq-{worker}", maxReceiveCount: 3)
///         .Message("hello"))
///     .Build();
/// </code>
/// </example>
public sealed class SeedPlanBuilder
{
    private readonly string _baseDirectory;
    private readonly List<(string Name, BucketSeedBuilder Builder)> _buckets = [];
    private readonly List<(string Name, QueueSeedBuilder Builder)> _queues = [];
    private readonly List<(string Name, TableSeedBuilder Builder)> _tables = [];
    private string _fixtureVersion = string.Empty;

    /// <summary>Creates a builder whose file paths are relative to <see cref="AppContext.BaseDirectory"/>.</summary>
    public SeedPlanBuilder()
        : this(AppContext.BaseDirectory)
    {
    }

    /// <summary>Creates a builder whose file paths are relative to <paramref name="baseDirectory"/>.</summary>
    /// <param name="baseDirectory">The directory that file and directory sources are relative to.</param>
    public SeedPlanBuilder(string baseDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(baseDirectory);
        _baseDirectory = Path.GetFullPath(baseDirectory);
    }

    /// <summary>Sets the fixture version (required): a label you change when the fixture's meaning changes.</summary>
    /// <param name="version">E.g. <c>v1</c>.</param>
    /// <returns>This builder.</returns>
    public SeedPlanBuilder FixtureVersion(string version)
    {
        ArgumentNullException.ThrowIfNull(version);
        _fixtureVersion = version;
        return this;
    }

    /// <summary>Adds a bucket.</summary>
    /// <param name="name">The bucket name; may contain <c>{run}</c> and <c>{worker}</c>.</param>
    /// <param name="configure">Adds objects to the bucket.</param>
    /// <returns>This builder.</returns>
    public SeedPlanBuilder Bucket(string name, Action<BucketSeedBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = new BucketSeedBuilder();
        configure?.Invoke(builder);
        _buckets.Add((name, builder));
        return this;
    }

    /// <summary>Adds a queue.</summary>
    /// <param name="name">The queue name; may contain <c>{run}</c> and <c>{worker}</c>; FIFO names end in <c>.fifo</c>.</param>
    /// <param name="configure">Sets attributes, redrive and messages.</param>
    /// <returns>This builder.</returns>
    public SeedPlanBuilder Queue(string name, Action<QueueSeedBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        var builder = new QueueSeedBuilder();
        configure?.Invoke(builder);
        _queues.Add((name, builder));
        return this;
    }

    /// <summary>Adds a DynamoDB table (created if missing) and its items (written unless an equal item exists).</summary>
    /// <param name="name">The table name; may contain <c>{run}</c> and <c>{worker}</c>.</param>
    /// <param name="hashKey">The partition key attribute.</param>
    /// <param name="configure">Sets the key types, sort key, indexes, TTL and items.</param>
    /// <returns>This builder.</returns>
    /// <example>
    /// <code>
    /// builder.Table("order-status-{run}", "OrderId", t => t.Item("""{"OrderId":"o-1","Status":"Accepted"}"""));
    /// </code>
    /// </example>
    public SeedPlanBuilder Table(string name, string hashKey, Action<TableSeedBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(hashKey);
        var builder = new TableSeedBuilder(hashKey, "S");
        configure?.Invoke(builder);
        _tables.Add((name, builder));
        return this;
    }

    /// <summary>Checks everything (names, placeholders, files, attributes, redrive, messages) and creates the plan.</summary>
    /// <returns>The plan.</returns>
    /// <exception cref="SeedManifestException">Something breaks a rule; every error is listed.</exception>
    public SeedPlan Build()
    {
        var errors = new SeedErrors(null);
        var buckets = new List<BucketSeed>(_buckets.Count);
        for (int i = 0; i < _buckets.Count; i++)
        {
            string pointer = "/buckets/" + i.ToString(CultureInfo.InvariantCulture);
            buckets.Add(new BucketSeed(_buckets[i].Name, _buckets[i].Builder.Create(pointer, errors), new SeedLocation(pointer, null)));
        }

        var queues = new List<QueueSeed>(_queues.Count);
        for (int i = 0; i < _queues.Count; i++)
        {
            queues.Add(_queues[i].Builder.Create(_queues[i].Name, "/queues/" + i.ToString(CultureInfo.InvariantCulture)));
        }

        var tables = new List<TableSeed>(_tables.Count);
        for (int i = 0; i < _tables.Count; i++)
        {
            tables.Add(_tables[i].Builder.Create(_tables[i].Name, "/tables/" + i.ToString(CultureInfo.InvariantCulture), _baseDirectory, errors));
        }

        return SeedPlan.CreateValidated(_fixtureVersion, buckets, queues, tables, _baseDirectory, null, new SeedLocation(string.Empty, null), errors);
    }

    /// <summary>Copies user metadata with lower-case keys, reporting keys that collide case-insensitively.</summary>
    internal static Dictionary<string, string> LowerCaseMetadata(IReadOnlyDictionary<string, string>? metadata, string pointer, SeedErrors errors)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (metadata is null)
        {
            return result;
        }

        foreach ((string name, string value) in metadata.OrderBy(m => m.Key, StringComparer.Ordinal))
        {
            string key = name.ToLowerInvariant();
            if (!result.TryAdd(key, value))
            {
                errors.Add(pointer + "/metadata/" + SeedLocation.EscapePointerToken(name), null, $"metadata key '{name}' collides with another key (S3 metadata keys are case-insensitive).", "remove one of them.");
            }
        }

        return result;
    }
}
