using Amazon.DynamoDBv2;
using Amazon.S3;
using Kumo.Clients;
using Amazon.SQS;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kumo.Seeding;

/// <summary>
/// Seeds a <see cref="ResolvedSeedPlan"/> into a kumo engine through the AWS SDK: idempotent,
/// phased, parallel and verifiable.
/// </summary>
/// <remarks>
/// <para>
/// Phases: (1) <see cref="SeedPhase.CreateContainers"/> — lists buckets once and creates only the
/// missing ones (<c>BucketAlreadyOwnedByYou</c> counts as existing); looks each queue up with
/// <c>GetQueueUrl</c> and creates only the missing ones, dead-letter queues before their sources,
/// with <c>RedrivePolicy</c> pointing at the target's ARN; existing queues whose declared attributes
/// differ are updated. (2) <see cref="SeedPhase.Populate"/> — lists each bucket, compares ETags with
/// the local MD5 (and, for matches, content type and metadata by <c>HEAD</c>) and uploads only
/// missing or different objects; sends messages only into queues this run created, or — when
/// <see cref="QueueSeed.ReplaceMessages"/> is set — purges and sends again. (3)
/// <see cref="SeedPhase.Verify"/> — lists and reads everything back and throws
/// <see cref="SeedVerificationException"/> naming each bucket/key or queue that differs.
/// </para>
/// <para>
/// Re-running a finished seed sends no write request at all (<see cref="SeedReport.WriteRequests"/>
/// is 0). Requests run with bounded parallelism (<see cref="SeedOptions.MaxParallelism"/>);
/// cancellation stops the run between and inside requests. Messages are sent only once per queue
/// creation, so if a run is interrupted after creating a queue but before sending its messages, a
/// re-run will not send them; set <c>ReplaceMessages</c> or start from a fresh engine (as snapshot
/// builds do).
/// </para>
/// <para>
/// Use clients from <see cref="Kumo.Clients.KumoClients"/>; with other clients, the seeder still sets
/// <c>UseChunkEncoding = false</c> on its own uploads.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// using KumoClients clients = KumoClients.Create(engineEndpoint);
/// var seeder = new KumoSeeder(clients, logger);
/// SeedReport report = await seeder.SeedAsync(plan.Resolve(new SeedContext("local", "0")), new SeedOptions { MaxParallelism = 8 }, cancellationToken);
/// Console.WriteLine($"{report.ObjectsUploaded} uploaded, {report.ObjectsSkipped} unchanged in {report.Elapsed}");
/// </code>
/// </example>
public sealed class KumoSeeder
{
    private readonly IAmazonS3 _s3;
    private readonly IAmazonSQS _sqs;
    private readonly IAmazonDynamoDB? _dynamo;
    private readonly ILogger _logger;

    /// <summary>Creates a seeder over the given clients.</summary>
    /// <param name="s3">An S3 client pointed at the engine (see <see cref="Kumo.Clients.KumoClients"/>).</param>
    /// <param name="sqs">An SQS client pointed at the engine.</param>
    /// <param name="logger">Receives progress and results; none when null.</param>
    public KumoSeeder(IAmazonS3 s3, IAmazonSQS sqs, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentNullException.ThrowIfNull(sqs);
        _s3 = s3;
        _sqs = sqs;
        _logger = logger ?? NullLogger.Instance;
    }

    private KumoSeeder(IAmazonS3 s3, IAmazonSQS sqs, IAmazonDynamoDB dynamoDB, ILogger? logger)
        : this(s3, sqs, logger)
    {
        ArgumentNullException.ThrowIfNull(dynamoDB);
        _dynamo = dynamoDB;
    }

    /// <summary>Creates a seeder over the clients of one engine (S3, SQS and DynamoDB).</summary>
    /// <param name="clients">The engine's clients, e.g. from <see cref="KumoClients.Create"/>.</param>
    /// <param name="logger">Receives progress and the summary; null for none.</param>
    /// <example>
    /// <code>
    /// using KumoClients clients = KumoClients.Create(endpoint);
    /// SeedReport report = await new KumoSeeder(clients).SeedAsync(plan.Resolve(SeedContext.Current));
    /// </code>
    /// </example>
    public KumoSeeder(KumoClients clients, ILogger? logger)
        : this(Guard(clients).S3, clients.Sqs, clients.DynamoDB, logger)
    {
    }

    /// <summary>Creates a seeder over the clients of one engine (S3, SQS and DynamoDB), without logging.</summary>
    /// <param name="clients">The engine's clients, e.g. from <see cref="KumoClients.Create"/>.</param>
    public KumoSeeder(KumoClients clients)
        : this(clients, null)
    {
    }

    /// <summary>Seeds the plan: create containers, populate, verify.</summary>
    /// <param name="plan">The resolved plan.</param>
    /// <param name="options">Parallelism, progress and verification; defaults when null.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>What was created, uploaded, skipped and sent, and how long it took.</returns>
    /// <exception cref="SeedException">The engine refused a request or could not be reached; the message names the resource.</exception>
    /// <exception cref="SeedVerificationException">After seeding, the engine's content differs from the plan.</exception>
    /// <exception cref="OperationCanceledException">The run was cancelled.</exception>
    public Task<SeedReport> SeedAsync(ResolvedSeedPlan plan, SeedOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        options ??= new SeedOptions();
        if (options.MaxParallelism < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxParallelism, "SeedOptions.MaxParallelism must be at least 1.");
        }

        return new SeedRun(_s3, _sqs, _dynamo, _logger, plan, options).RunAsync(cancellationToken);
    }

    private static KumoClients Guard(KumoClients clients)
    {
        ArgumentNullException.ThrowIfNull(clients);
        return clients;
    }
}
