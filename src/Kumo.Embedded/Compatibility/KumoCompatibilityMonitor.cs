using System.Collections.Concurrent;
using Kumo.Embedded.Protocol;
using Microsoft.Extensions.Logging;

namespace Kumo.Embedded.Compatibility;

/// <summary>
/// Counts, logs and (in strict mode) rejects requests that real kumo v0.32.0 would mishandle.
/// </summary>
/// <remarks>
/// kumo stores an <c>aws-chunked</c> body as-is (chunk headers and signatures included) and ignores
/// checksum trailers, so an upload that works here would silently corrupt there. Counting these
/// lets a test prove that a client configuration is kumo-safe; strict mode turns the count into a
/// failure at the first offending request.
/// </remarks>
public sealed partial class KumoCompatibilityMonitor
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);
    private readonly ILogger _logger;

    internal KumoCompatibilityMonitor(bool strict, ILogger logger)
    {
        Strict = strict;
        _logger = logger;
    }

    /// <summary>True when offending requests are rejected rather than only counted.</summary>
    public bool Strict { get; }

    /// <summary>The total number of offending requests seen.</summary>
    public long Total => _counts.Values.Sum();

    /// <summary>Offending requests by reason (e.g. <c>aws-chunked</c>, <c>checksum-trailer</c>).</summary>
    public IReadOnlyDictionary<string, long> ByReason => new Dictionary<string, long>(_counts, StringComparer.Ordinal);

    /// <summary>Records an offending request; throws the client error in strict mode.</summary>
    /// <param name="reason">A short, stable reason key.</param>
    /// <param name="detail">What was seen, for the log and the error message.</param>
    /// <param name="fix">How the client should be configured instead.</param>
    internal void Report(string reason, string detail, string fix)
    {
        _counts.AddOrUpdate(reason, 1, static (_, count) => count + 1);
        LogIncompatible(_logger, reason, detail);
        if (Strict)
        {
            throw new AwsServiceException(400, "KumoIncompatibleRequest", $"Strict kumo compatibility: {detail}; real kumo v{EngineIdentity.CompatibleKumoVersion} would mishandle this request. {fix}");
        }
    }

    /// <summary>Clears the counters.</summary>
    public void Reset() => _counts.Clear();

    [LoggerMessage(Level = LogLevel.Warning, Message = "kumo-incompatible request ({Reason}): {Detail}")]
    private static partial void LogIncompatible(ILogger logger, string reason, string detail);
}
