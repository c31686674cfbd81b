using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Kumo.Aspire.Hosting.State;
using Kumo.Seeding;
using Microsoft.Extensions.Logging;

namespace Kumo.Aspire.Hosting.Seeding;

/// <summary>
/// Shows a seed run's progress: each phase in the resource log, and the current phase and item in the
/// <see cref="KumoProperties.SeedProgress"/> property.
/// </summary>
/// <remarks>
/// <see cref="KumoSeeder"/> reports after every item from worker threads; publishing each report would flood the
/// dashboard, so the latest report is published at most every <see cref="PublishInterval"/>, and once more at the end.
/// </remarks>
internal sealed partial class KumoSeedProgress : IProgress<SeedProgress>, IAsyncDisposable
{
    private static readonly TimeSpan PublishInterval = TimeSpan.FromMilliseconds(250);

    private readonly ResourceNotificationService _notifications;
    private readonly IResource _resource;
    private readonly ILogger _logger;
    private readonly string _source;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _publisher;
    private SeedProgress? _latest;
    private SeedProgress? _published;
    private SeedPhase? _loggedPhase;

    public KumoSeedProgress(ResourceNotificationService notifications, IResource resource, ILogger logger, string source)
    {
        _notifications = notifications;
        _resource = resource;
        _logger = logger;
        _source = source;
        _publisher = PublishPeriodicallyAsync();
    }

    public void Report(SeedProgress value)
    {
        lock (_lock)
        {
            _latest = value;
            if (_loggedPhase == value.Phase)
            {
                return;
            }

            _loggedPhase = value.Phase;
        }

        LogPhase(_logger, _source, value.Phase, value.Total);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _publisher.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        await PublishLatestAsync().ConfigureAwait(false);
    }

    /// <summary>Formats a report, e.g. <c>Populate 3/10 (s3://orders/a.json)</c>.</summary>
    /// <param name="progress">The report.</param>
    /// <returns>The text.</returns>
    public static string Format(SeedProgress progress) =>
        string.Create(CultureInfo.InvariantCulture, $"{progress.Phase} {progress.Done}/{progress.Total}{(progress.Current is { } current ? $" ({current})" : string.Empty)}");

    private async Task PublishPeriodicallyAsync()
    {
        using var timer = new PeriodicTimer(PublishInterval);
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
        {
            await PublishLatestAsync().ConfigureAwait(false);
        }
    }

    private Task PublishLatestAsync()
    {
        SeedProgress? latest;
        lock (_lock)
        {
            if (_latest is null || ReferenceEquals(_latest, _published))
            {
                return Task.CompletedTask;
            }

            latest = _published = _latest;
        }

        return KumoResourceState.PublishAsync(_notifications, _resource, [(KumoProperties.SeedProgress, $"{_source}: {Format(latest)}")]);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "kumo: {Source}: {Phase} ({Total} items)")]
    private static partial void LogPhase(ILogger logger, string source, SeedPhase phase, int total);
}
