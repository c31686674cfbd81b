using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Kumo.Aspire.Hosting.State;
using Kumo.Clients;
using Kumo.Seeding;
using Microsoft.Extensions.Logging;

namespace Kumo.Aspire.Hosting.Seeding;

/// <summary>
/// Seeds a kumo resource's plans into an engine with the core's kumo-safe clients (<see cref="KumoClients"/>) and
/// seeder (<see cref="KumoSeeder"/>), showing progress in the resource's log and properties.
/// </summary>
/// <remarks>
/// Used by the ready event, by the <c>reseed</c> and <c>reset</c> commands, and as the seed step of a snapshot build
/// (then against the build engine's endpoint, not the resource's).
/// </remarks>
internal static partial class KumoSeedRun
{
    /// <summary>Seeds every plan in order; the first failure stops the run.</summary>
    /// <param name="resource">The kumo resource whose log and properties show progress.</param>
    /// <param name="seeds">The resolved plans.</param>
    /// <param name="endpoint">The engine to seed.</param>
    /// <param name="notifications">The notification service.</param>
    /// <param name="logger">The resource's log.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <returns>One report per plan.</returns>
    /// <exception cref="KumoSeedFailedException">A plan failed; the message names the plan and the cause.</exception>
    public static async Task<IReadOnlyList<SeedReport>> SeedAsync(
        IResource resource,
        IReadOnlyList<KumoPlannedSeed> seeds,
        Uri endpoint,
        ResourceNotificationService notifications,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        if (seeds.Count == 0)
        {
            return [];
        }

        var reports = new List<SeedReport>(seeds.Count);
        using var clients = KumoClients.Create(endpoint);
        var seeder = new KumoSeeder(clients, logger);
        foreach (var seed in seeds)
        {
            var plan = seed.Resolved;
            LogSeeding(logger, seed.Source.Description, plan.Buckets.Count, plan.Queues.Count, endpoint, plan.Context.RunId, plan.Context.WorkerId);

            SeedReport report;
            try
            {
                var progress = new KumoSeedProgress(notifications, resource, logger, seed.Source.Description);
                await using (progress.ConfigureAwait(false))
                {
                    report = await seeder.SeedAsync(plan, new SeedOptions { Progress = progress }, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                throw new KumoSeedFailedException($"{seed.Source.Description} failed: {ex.Message}", ex);
            }

            var summary = Summarize(report);
            LogSeeded(logger, seed.Source.Description, summary);
            reports.Add(report);
            await KumoResourceState.PublishAsync(notifications, resource, [(KumoProperties.SeedSummary, $"{seed.Source.Description}: {summary}")]).ConfigureAwait(false);
        }

        return reports;
    }

    /// <summary>Describes a report, e.g. <c>1 bucket created (0 existing), 3 objects uploaded (0 unchanged), ...</c>.</summary>
    /// <param name="report">The report.</param>
    /// <returns>The text.</returns>
    public static string Summarize(SeedReport report) => string.Create(
        CultureInfo.InvariantCulture,
        $"{report.BucketsCreated} bucket(s) created ({report.BucketsExisting} existing), {report.ObjectsUploaded} object(s) uploaded ({report.ObjectsSkipped} unchanged), " +
        $"{report.QueuesCreated} queue(s) created ({report.QueuesExisting} existing, {report.QueuesUpdated} updated, {report.QueuesPurged} purged), " +
        $"{report.MessagesSent} message(s) sent; {report.WriteRequests} write request(s) in {report.Elapsed.TotalMilliseconds:0} ms");

    [LoggerMessage(Level = LogLevel.Information, Message = "kumo: seeding {Source} ({Buckets} bucket(s), {Queues} queue(s)) into {Endpoint} for run '{RunId}', worker '{WorkerId}'")]
    private static partial void LogSeeding(ILogger logger, string source, int buckets, int queues, Uri endpoint, string runId, string workerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "kumo: seeded {Source}: {Summary}")]
    private static partial void LogSeeded(ILogger logger, string source, string summary);
}
