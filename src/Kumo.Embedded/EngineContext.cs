using Kumo.Embedded.Compatibility;
using Microsoft.Extensions.Logging;
using Kumo.Contract;

namespace Kumo.Embedded;

/// <summary>What every service of one engine instance shares.</summary>
internal sealed class EngineContext
{
    public EngineContext(KumoEngineOptions options, ILoggerFactory loggerFactory, KumoCompatibilityMonitor compatibility, string blobRoot, CancellationToken stopping)
    {
        Options = options;
        LoggerFactory = loggerFactory;
        Compatibility = compatibility;
        BlobRoot = blobRoot;
        Stopping = stopping;
    }

    public KumoEngineOptions Options { get; }

    public ILoggerFactory LoggerFactory { get; }

    public KumoCompatibilityMonitor Compatibility { get; }

    public TimeProvider Time => Options.Time;

    /// <summary>Signalled when the engine is asked to stop (the host's ApplicationStopping): ends long polls.</summary>
    public CancellationToken Stopping { get; }

    /// <summary>The directory for object bodies: <c>$KUMO_DATA_DIR</c> or a private temporary directory.</summary>
    public string BlobRoot { get; }

    /// <summary>The AWS account id kumo reports.</summary>
    public const string AccountId = KumoDefaults.AccountId;

    /// <summary>The region kumo reports in ARNs.</summary>
    public const string Region = KumoDefaults.Region;
}
