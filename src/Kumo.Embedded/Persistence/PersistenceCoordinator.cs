using Kumo.Storage;
using Microsoft.Extensions.Logging;

namespace Kumo.Embedded.Persistence;

/// <summary>
/// Loads every service's state at start, flushes dirty state every interval and once more on stop.
/// </summary>
/// <remarks>
/// Each file is replaced atomically (<see cref="AtomicFile"/>), so a kill at any moment leaves the
/// previous complete document or the new one. Without a data directory it only runs the services'
/// <see cref="IPersistentService.AfterFlush"/> housekeeping.
/// </remarks>
internal sealed partial class PersistenceCoordinator : IAsyncDisposable
{
    private readonly IReadOnlyList<IPersistentService> _services;
    private readonly string? _dataDir;
    private readonly TimeSpan _interval;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _flushGate = new(1, 1);
    private Task? _loop;

    public PersistenceCoordinator(IReadOnlyList<IPersistentService> services, string? dataDir, TimeSpan interval, ILogger logger)
    {
        _services = services;
        _dataDir = dataDir;
        _interval = interval;
        _logger = logger;
    }

    /// <summary>The number of completed flushes that wrote at least one file.</summary>
    public long FlushCount { get; private set; }

    public void LoadAll()
    {
        if (_dataDir is null)
        {
            return;
        }

        Directory.CreateDirectory(_dataDir);
        StaleTemporaryFiles.Sweep(_dataDir);
        foreach (IPersistentService service in _services)
        {
            string path = FileFor(service);
            if (!File.Exists(path))
            {
                continue;
            }

            try
            {
                service.Load(File.ReadAllBytes(path));
                LogLoaded(_logger, service.Name, path);
            }
            catch (Exception ex) when (ex is IOException or System.Text.Json.JsonException or InvalidDataException)
            {
                // kumo ignores load errors and starts empty; we do the same but keep the bad file for inspection.
                string quarantine = path + ".corrupt-" + DateTime.UtcNow.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture);
                File.Move(path, quarantine, overwrite: true);
                LogLoadFailed(_logger, ex, service.Name, path, quarantine);
            }
        }
    }

    public void Start()
    {
        _loop = Task.Run(RunAsync);
    }

    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        await _flushGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            bool wrote = false;
            foreach (IPersistentService service in _services)
            {
                byte[]? document = service.CaptureIfDirty();
                if (document is not null && _dataDir is not null)
                {
                    AtomicFile.WriteAllBytes(FileFor(service), document);
                    wrote = true;
                }

                service.AfterFlush();
            }

            if (wrote)
            {
                FlushCount++;
            }
        }
        finally
        {
            _flushGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        await FlushAsync().ConfigureAwait(false);
        _stop.Dispose();
        _flushGate.Dispose();
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(_interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
            {
                try
                {
                    await FlushAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    LogFlushFailed(_logger, ex, _dataDir ?? "(memory)");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private string FileFor(IPersistentService service) => Path.Combine(_dataDir!, service.Name + ".json");

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Service} state from {Path}")]
    private static partial void LogLoaded(ILogger logger, string service, string path);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not load {Service} state from {Path}; starting empty, the file was moved to {Quarantine}")]
    private static partial void LogLoadFailed(ILogger logger, Exception ex, string service, string path, string quarantine);

    [LoggerMessage(Level = LogLevel.Error, Message = "Flushing state to {DataDir} failed; will retry")]
    private static partial void LogFlushFailed(ILogger logger, Exception ex, string dataDir);
}
