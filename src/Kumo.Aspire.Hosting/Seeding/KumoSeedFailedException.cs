namespace Kumo.Aspire.Hosting.Seeding;

/// <summary>A seed plan failed against an engine; the message names the plan, the inner exception is the core's error.</summary>
internal sealed class KumoSeedFailedException(string message, Exception innerException) : Exception(message, innerException);
