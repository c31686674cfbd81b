using Kumo.Seeding;

namespace Kumo.Testing;

/// <summary>
/// Maps the bucket, queue and table names written in a seed plan (e.g. <c>orders-{run}</c>) to the
/// concrete names the fixture's engine holds (e.g. <c>orders-9876543210-1</c>).
/// </summary>
/// <remarks>
/// Names are looked up in the resolved plan, so a name that is not in the plan is an error that
/// lists the names that are. For resources a test creates itself, <see cref="Namespaced"/> gives a
/// name scoped to the fixture's run and worker.
/// </remarks>
/// <example>
/// <code>
/// string bucket = fixture.Names["orders-{run}"];          // as written in the plan
/// string queueUrl = (await fixture.Sqs.GetQueueUrlAsync(fixture.Names.Queue("jobs"))).QueueUrl;
/// string table = fixture.Names.Table("status-{worker}");
/// string scratch = fixture.Names.Namespaced("scratch");    // scratch-&lt;run&gt;-&lt;worker&gt;
/// </code>
/// </example>
public sealed class KumoNames
{
    private readonly ResolvedSeedPlan _plan;
    private readonly KumoRunContext _context;

    internal KumoNames(ResolvedSeedPlan plan, KumoRunContext context)
    {
        _plan = plan;
        _context = context;
    }

    /// <summary>Resolves a bucket, queue or table name as written in the plan (see <see cref="Resolve"/>).</summary>
    /// <param name="planName">The name as written in the plan, placeholders included.</param>
    /// <returns>The concrete name.</returns>
    public string this[string planName] => Resolve(planName);

    /// <summary>Resolves a bucket, queue or table name as written in the plan.</summary>
    /// <param name="planName">The name as written in the plan, placeholders included, e.g. <c>orders-{run}</c>.</param>
    /// <returns>The concrete name.</returns>
    /// <exception cref="KeyNotFoundException">No bucket, queue or table of the plan has that name; the message lists the names it has.</exception>
    public string Resolve(string planName)
    {
        ArgumentNullException.ThrowIfNull(planName);
        return FindBucket(planName) ?? FindQueue(planName) ?? FindTable(planName) ?? throw NotFound(planName, "bucket, queue or table");
    }

    /// <summary>Resolves a bucket name as written in the plan.</summary>
    /// <param name="planName">The bucket name as written in the plan.</param>
    /// <returns>The concrete bucket name.</returns>
    /// <exception cref="KeyNotFoundException">The plan has no such bucket.</exception>
    public string Bucket(string planName)
    {
        ArgumentNullException.ThrowIfNull(planName);
        return FindBucket(planName) ?? throw NotFound(planName, "bucket");
    }

    /// <summary>Resolves a queue name as written in the plan.</summary>
    /// <param name="planName">The queue name as written in the plan.</param>
    /// <returns>The concrete queue name.</returns>
    /// <exception cref="KeyNotFoundException">The plan has no such queue.</exception>
    public string Queue(string planName)
    {
        ArgumentNullException.ThrowIfNull(planName);
        return FindQueue(planName) ?? throw NotFound(planName, "queue");
    }

    /// <summary>Resolves a DynamoDB table name as written in the plan.</summary>
    /// <param name="planName">The table name as written in the plan.</param>
    /// <returns>The concrete table name.</returns>
    /// <exception cref="KeyNotFoundException">The plan has no such table.</exception>
    public string Table(string planName)
    {
        ArgumentNullException.ThrowIfNull(planName);
        return FindTable(planName) ?? throw NotFound(planName, "table");
    }

    /// <summary>A name for a resource the test creates itself, scoped to the fixture's run and worker (<see cref="ResourceNames.Namespaced(string, KumoRunContext)"/>).</summary>
    /// <param name="baseName">The logical name, e.g. <c>scratch</c> or <c>jobs.fifo</c>.</param>
    /// <returns>A valid bucket and queue name.</returns>
    public string Namespaced(string baseName) => ResourceNames.Namespaced(baseName, _context);

    private string? FindBucket(string planName) => _plan.Buckets.FirstOrDefault(b => b.Seed.Name == planName)?.Name;

    private string? FindQueue(string planName) => _plan.Queues.FirstOrDefault(q => q.Seed.Name == planName)?.Name;

    private string? FindTable(string planName) => _plan.Tables.FirstOrDefault(t => t.Seed.Name == planName)?.Name;

    private KeyNotFoundException NotFound(string planName, string what)
    {
        string buckets = string.Join(", ", _plan.Buckets.Select(b => $"'{b.Seed.Name}'"));
        string queues = string.Join(", ", _plan.Queues.Select(q => $"'{q.Seed.Name}'"));
        string tables = string.Join(", ", _plan.Tables.Select(t => $"'{t.Seed.Name}'"));
        return new KeyNotFoundException(
            $"The seed plan{(_plan.Plan.SourcePath is { } source ? $" ({source})" : string.Empty)} has no {what} named '{planName}'. " +
            $"Buckets: [{buckets}]; queues: [{queues}]; tables: [{tables}]. Fix: pass the name exactly as written in the plan, placeholders included (e.g. 'orders-{{run}}').");
    }
}
